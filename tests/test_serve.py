"""`make serve`: an edit in data/ shows in the served page without a restart; a bad edit is logged."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DATA, make_project

from generator.devtools.benchmark import fetch, free_port, serve_args  # the same helpers the preview benchmark uses

pytestmark = pytest.mark.slow


def wait_for(condition, timeout: float = 60) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def mkdocs_serve(project: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve` as `make serve` runs it, its output in `log`: yields the site's address."""
    port = free_port()
    with log.open("w+") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *serve_args()],
            cwd=project,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture
def served(tmp_path: Path):
    project = make_project(tmp_path / "p", MINI_DATA)
    log = tmp_path / "serve.log"
    with mkdocs_serve(project, log) as home:
        url = home + "examplumab/trials/trial-a/"
        assert wait_for(lambda: "TRIAL-A" in fetch(url)), log.read_text()
        yield project, url, log


def test_data_edit_is_served_without_restart_and_errors_are_logged(served):
    project, url, log = served
    data = project / "data" / "examplumab" / "entities.yaml"
    original = data.read_text(encoding="utf-8")
    assert "7.5 months" in fetch(url)
    data.write_text(
        original.replace("value: {value: 7.5, unit: months}", "value: {value: 8.5, unit: months}"), encoding="utf-8"
    )
    assert wait_for(lambda: "8.5 months" in fetch(url)), log.read_text()
    data.write_text(original.replace("approval_year: 2020", "approval_year: soon"), encoding="utf-8")
    assert wait_for(lambda: "data/examplumab/entities.yaml:" in log.read_text() and "approval_year" in log.read_text())
    data.write_text(original, encoding="utf-8")
    assert wait_for(lambda: "7.5 months" in fetch(url)), log.read_text()
    # the generated pages never land in docs_dir
    assert sorted(p.name for p in (project / "content").iterdir()) == ["about.md"]


@pytest.mark.browser
def test_the_preview_keeps_serving_and_shows_problems_in_the_page(served, page):
    """A mistake in the data no longer stalls `make serve`: the last good site stays up with a
    banner listing each problem as file:LINE, and the banner goes on the next good build."""
    project, url, log = served
    data = project / "data" / "examplumab" / "entities.yaml"
    original = data.read_text(encoding="utf-8")
    page.goto(url)
    assert page.locator(".kb-problems").count() == 0
    line = original[: original.index("approval_year: 2020")].count("\n") + 1
    data.write_text(original.replace("approval_year: 2020", "approval_year: soon"), encoding="utf-8")
    banner = page.locator(".kb-problems")
    banner.wait_for(timeout=60_000)  # live reload brings the page back, now with the banner
    assert f"data/examplumab/entities.yaml:{line}:" in banner.inner_text()
    assert "TRIAL-A" in page.locator("article").inner_text()  # the last good page, still served
    page.goto(url.replace("trials/trial-a/", "glossary/"))  # every page answers, none hangs
    assert page.locator(".kb-problems").count() == 1
    data.write_text(original, encoding="utf-8")
    banner.wait_for(state="detached", timeout=60_000)


def test_the_preview_starts_even_when_the_data_has_never_built(tmp_path):
    project = make_project(tmp_path / "p", MINI_DATA)
    entities = project / "data" / "examplumab" / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("approval_year: 2020", "approval_year: soon"))
    log = tmp_path / "serve.log"
    with mkdocs_serve(project, log) as home:
        assert wait_for(lambda: "kb-problems" in fetch(home)), log.read_text()
        assert "data/examplumab/entities.yaml:" in fetch(home)
        assert "The knowledge base has problems" in fetch(home)


def _comparable(page: str) -> str:
    """A page without what only the preview adds (live reload, its own address in links and search)."""
    page = re.sub(r"<script>(?:(?!</script>).)*livereload(?:(?!</script>).)*</script>", "", page, flags=re.S)
    page = re.sub(r'<link rel="canonical"[^>]*>', "", page)
    page = re.sub(r"http://127\.0\.0\.1:\d+/", "/", page)
    return "\n".join(line.rstrip() for line in page.splitlines() if line.strip())


def test_every_preview_rebuild_equals_a_full_build(served, tmp_path):
    """Under `make serve` (--dirty), a figure edit, a new glossary term and a new trial show on every
    page they touch, exactly as a full build would show them: titles in the navigation, tooltips,
    sidebars and footers of pages that were not edited included."""
    project, url, log = served
    entities = project / "data" / "examplumab" / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    text = text.replace("value: {value: 7.5, unit: months}", "value: {value: 8.5, unit: months}")
    text = text.replace(
        "  - {term: CR, expansion: complete remission}",
        "  - {term: CR, expansion: complete remission}\n  - {term: TRIAL-A, expansion: the example trial}",
    )
    text = text.replace(
        "indications:\n",
        "  - id: trial-b\n    title: TRIAL-B (a second study)\n    summary: Another study.\n    refs: [2]\n"
        '    phase: "2"\n    setting: relapsed-refractory\n    status: completed\n    design: Single arm\n'
        "    population: Adults.\nindications:\n",
    )
    entities.write_text(text, encoding="utf-8")
    assert wait_for(lambda: "TRIAL-B" in fetch(url) and "8.5 months" in fetch(url)), log.read_text()
    full = tmp_path / "full"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(full)],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    base = url.split("/examplumab/")[0] + "/"
    for path in ["examplumab/trials/trial-a/", "examplumab/therapies/examplumab/", "about/", "examplumab/glossary/"]:
        served_page = _comparable(fetch(base + path))
        built_page = _comparable((full / path / "index.html").read_text(encoding="utf-8"))
        assert served_page == built_page, (
            path,
            "".join(
                difflib.unified_diff(
                    built_page.splitlines(True), served_page.splitlines(True), "full build", "preview", n=1
                )
            ),
        )
