"""`make offline`: a copy of the site that works opened from a folder or a shared drive (file://),
search, quizzes, progress and decision tables included, with nothing loaded from another host."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DATA, ROOT, make_project, mkdocs_build

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_make_offline_builds_with_the_offline_plugin_into_its_own_folder():
    dry = subprocess.run(["make", "-n", "offline"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert "KB_OFFLINE=true" in dry.stdout and "--site-dir build/offline" in dry.stdout


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("offline") / "p", MINI_DATA)
    result = mkdocs_build(project, "--site-dir", "build/offline", offline=True)
    assert result.returncode == 0, result.stderr
    assert not (project / "site").exists()
    yield project / "build" / "offline"


def test_pages_are_html_files_and_load_nothing_from_elsewhere(offline_site):
    assert (offline_site / "examplumab" / "trials" / "trial-a.html").is_file()
    assert (offline_site / "search" / "search_index.js").is_file()  # the index a file:// page can load
    for page in offline_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "//cdn" not in text, page
    page = (offline_site / "examplumab" / "index.html").read_text(encoding="utf-8")
    assert 'href="trials/index.html"' in page and "navigation.instant" not in page


def test_the_copy_works_from_file_urls(browser, offline_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:", "about:", "blob:")) else elsewhere.append(r.url),
    )
    page.goto(offline_site.joinpath("index.html").as_uri())
    # a section opens its page, not a directory listing
    page.get_by_role("link", name="Examplumab in fictional leukaemia").first.click()
    page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Trials", exact=True).first.click()
    assert page.url.endswith("/examplumab/trials/index.html")
    assert page.locator("article h1").inner_text().rstrip("¶") == "Trials"
    # search, from the index inlined for file://
    page.locator("input.md-search__input").click()
    page.keyboard.type("antigen", delay=30)
    first = page.locator(".md-search-result__item > a").first
    first.wait_for()
    assert ".html" in first.get_attribute("href") and "/quizzes/" not in first.get_attribute("href")
    first.click()
    page.wait_for_load_state()
    assert "antigen" in page.locator("article").inner_text().lower()
    # a quiz keeps its answers across a reload, and My progress reads them
    page.goto(offline_site.joinpath("examplumab", "quizzes", "basics-quiz.html").as_uri())
    box = page.locator('[data-question="basics-target"]')
    box.locator('input[value="a"]').check()
    box.get_by_role("button", name="Check").click()
    assert box.locator('[role="status"]').inner_text().startswith("Correct.")
    page.reload()
    assert page.locator(".kb-quiz__score").inner_text().startswith("Answered 1 of 5 · 1 correct")
    page.goto(offline_site.joinpath("examplumab", "quizzes", "progress.html").as_uri())
    assert page.locator('[data-module="basics-quiz"] .kb-progress__score').inner_text().startswith("Answered 1 of 5")
    # a decision table applies its rules
    page.goto(offline_site.joinpath("examplumab", "decisions", "fever-by-grade.html").as_uri())
    page.select_option('[name="grade"]', "3")
    assert page.locator("tr[data-match]").get_attribute("data-rule") == "severe"
    context.close()
    assert elsewhere == []
