"""Output is written whole or not at all, and never over a folder this project did not write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import MINI_DATA, edit, make_project, mkdocs_build

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def markdown_command(data: Path, out: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "markdown", str(out)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_markdown_output_refuses_a_folder_it_did_not_write(tmp_path):
    work = tmp_path / "work"
    (work / ".git").mkdir(parents=True)
    (work / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (work / "notes.txt").write_text("mine")
    data = make_project(work / "project", MINI_DATA) / "data"
    before = snapshot(work)
    result = markdown_command(data, Path("."), work)  # `python -m generator markdown .`
    assert result.returncode == 1
    assert "already holds files that were not written by this project" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(work) == before
    # its own previous output is replaced; a file someone added there stops it
    out = tmp_path / "out"
    assert markdown_command(data, out, tmp_path).returncode == 0
    assert markdown_command(data, out, tmp_path).returncode == 0
    (out / "docs" / "examplumab" / "my-notes.md").write_text("mine")
    result = markdown_command(data, out, tmp_path)
    assert result.returncode == 1 and "e.g. docs/examplumab/my-notes.md" in result.stderr
    assert (out / "docs" / "examplumab" / "my-notes.md").read_text() == "mine"


@pytest.fixture
def built(tmp_path) -> Path:
    project = make_project(tmp_path / "p", MINI_DATA)
    assert mkdocs_build(project, linkcheck=False).returncode == 0
    return project


def test_a_failed_build_leaves_the_previous_site_as_it_was(built):
    before = snapshot(built / "site")
    # a hand-written page in the place of a generated one: found before anything is written
    (built / "content" / "examplumab").mkdir()
    (built / "content" / "examplumab" / "glossary.md").write_text("# Mine\n")
    result = mkdocs_build(built, linkcheck=False)
    assert result.returncode != 0
    assert (
        "content/examplumab/glossary.md:1: this hand-written page has the place of the generated page" in result.stderr
    )
    assert snapshot(built / "site") == before
    (built / "content" / "examplumab" / "glossary.md").unlink()
    # a review id that takes the place of a hand-written page: reported at the id
    line = edit(built / "data", "examplumab/review.yaml", "  id: examplumab\n", "  id: about\n")
    result = mkdocs_build(built, linkcheck=False)
    assert (
        f"data/examplumab/review.yaml:{line}: the review id `about` would replace the hand-written page"
        in result.stderr
    )
    assert snapshot(built / "site") == before
    edit(built / "data", "examplumab/review.yaml", "  id: about\n", "  id: examplumab\n")
    # a warning that strict mode turns into a failure only after every page was written
    (built / "content" / "broken.md").write_text("# Broken\n\n[gone](missing.md)\n")
    result = mkdocs_build(built, linkcheck=False)
    assert result.returncode != 0 and "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr
    assert snapshot(built / "site") == before
    assert not list(built.glob(".site-*"))  # no staging folder left behind


def test_the_check_finds_what_the_build_would_reject(built):
    edit(built / "data", "examplumab/review.yaml", "  id: examplumab\n", "  id: about\n")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"], capture_output=True, text=True, cwd=built, timeout=120
    )
    assert result.returncode == 1
    assert "data/examplumab/review.yaml:3: the review id `about` would replace the hand-written page" in result.stderr


def test_a_killed_build_leaves_the_previous_site_and_the_next_build_clears_up(built):
    before = snapshot(built / "site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=built,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # kill it once it has written part of the new site into its staging folder
    while proc.poll() is None:
        staged = [p for s in built.glob(".site-building-*") for p in s.rglob("*.html")]
        if len(staged) >= 5:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert snapshot(built / "site") == before
    assert list(built.glob(".site-building-*"))  # the killed build's folder...
    assert mkdocs_build(built, linkcheck=False).returncode == 0
    assert not list(built.glob(".site-building-*"))  # ...is swept by the next build
    assert snapshot(built / "site") == before


def test_the_site_is_never_missing_its_home_page_during_a_rebuild(built):
    index = built / "site" / "index.html"
    missing: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if not index.exists():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        assert mkdocs_build(built, linkcheck=False).returncode == 0
    finally:
        done.set()
        watcher.join()
    assert missing == []


def test_a_site_folder_holding_other_files_is_not_replaced(built):
    (built / "site" / "notes.txt").write_text("mine")
    result = mkdocs_build(built, linkcheck=False)
    assert result.returncode != 0 and "e.g. notes.txt" in result.stderr
    assert (built / "site" / "notes.txt").read_text() == "mine"
