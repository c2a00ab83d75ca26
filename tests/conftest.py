"""Shared fixtures: project copies to break on purpose, one built site, a server and a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI_DATA = ROOT / "tests" / "fixtures" / "mini" / "data"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def make_project(dest: Path, data: Path = ROOT / "data") -> Path:
    """A copy of the project's site inputs (mkdocs.yml, content/, data/) in `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(data, dest / "data")
    return dest


def mkdocs_build(
    project: Path, *extra: str, linkcheck: bool = True, offline: bool = False
) -> subprocess.CompletedProcess[str]:
    """A strict build of the project; with `linkcheck`, a built site with a broken internal link or
    anchor (checked on the HTML by generator/devtools/linkcheck.py) counts as a failed build;
    `offline`: as `make offline` builds (KB_OFFLINE)."""
    from generator.devtools.linkcheck import broken_links

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    env["KB_OFFLINE"] = "true" if offline else "false"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if linkcheck and result.returncode == 0:
        broken = broken_links(project / "site")
        if broken:
            return subprocess.CompletedProcess(result.args, 1, result.stdout, result.stderr + "\n".join(broken))
    return result


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the fictional mini knowledge base, to break on purpose."""
    shutil.copytree(MINI_DATA, tmp_path / "data")
    return tmp_path / "data"


def edit(data: Path, file: str, old: str, new: str) -> int:
    """Replace `old` (which must occur once) in a data file; returns the line it started on."""
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(data: Path) -> list[str]:
    """The problems loading `data` reports, as educators read them."""
    from generator.build import load_reviews
    from generator.problems import DataError

    with pytest.raises(DataError) as err:
        load_reviews(data, data.parent)
    return [str(p) for p in err.value.problems]


def review_of(data: Path, review_id: str, root: Path | None = None, sources: Path | None = None):
    """One review of a site, by its id (a site may hold several)."""
    from generator.build import load_reviews

    return next(kb for kb in load_reviews(data, root or data.parent, sources) if kb.review.id == review_id)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge base, built strictly with the link checker on. Shared by many tests."""
    project = make_project(tmp_path_factory.mktemp("built") / "project")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture, built once; tests that change it build their own copy."""
    project = make_project(tmp_path_factory.mktemp("mini") / "project", MINI_DATA)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serves a built site on a free local port: (server, its URL ending in /). Shut it down after."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def mini_url(mini_site: Path) -> Iterator[str]:
    server, url = serve(mini_site)
    yield url
    server.shutdown()


def chromium_path() -> str:
    """Debian's Chromium; a missing browser fails the browser tests instead of skipping them."""
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium is needed for the browser tests: sudo apt-get install chromium (or set CHROMIUM)")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: object, context: object = None) -> list[str]:
    """axe-core (packaged with axe-playwright-python, run offline) on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in results.response["violations"]
    ]
