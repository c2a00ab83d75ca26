"""`make serve`: an edit in data/ shows in the served page without a restart; a bad edit is logged."""

from __future__ import annotations

import os
import subprocess
import sys
import time
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


@pytest.fixture
def served(tmp_path: Path):
    project = make_project(tmp_path / "p", MINI_DATA)
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *serve_args()],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/examplumab/trials/trial-a/"
    try:
        assert wait_for(lambda: "TRIAL-A" in fetch(url)), Path(log.name).read_text()
        yield project, url, Path(log.name)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


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
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with (tmp_path / "serve.log").open("w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *serve_args()],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            home = f"http://127.0.0.1:{port}/"
            assert wait_for(lambda: "kb-problems" in fetch(home)), (tmp_path / "serve.log").read_text()
            assert "data/examplumab/entities.yaml:" in fetch(home)
            assert "The knowledge base has problems" in fetch(home)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
