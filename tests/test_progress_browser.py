"""My progress in Chromium: answers given in two modules of the mini fixture, read back after a
reload, a question the educators changed shown as changed instead of counted, and a reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import MINI_DATA, edit, make_project, mkdocs_build, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = make_project(tmp_path_factory.mktemp("progress") / "p", MINI_DATA)
    result = mkdocs_build(project, linkcheck=False)
    assert result.returncode == 0, result.stderr
    server, url = serve(project / "site")
    yield project, url + "examplumab/"
    server.shutdown()


def answer(page, qid: str, value: str) -> None:
    box = page.locator(f'[data-question="{qid}"]')
    if box.locator("input[type=radio], input[type=checkbox]").count():
        box.locator(f'input[value="{value}"]').check()
    else:
        box.locator("input").fill(value)
    box.get_by_role("button", name="Check").click()
    box.locator(".kb-quiz__verdict").wait_for()


def module(page, module_id: str):
    return page.locator(f'[data-module="{module_id}"]')


def test_progress_across_two_modules_survives_reload_and_shows_changed_questions(browser, mini):
    project, url = mini
    context = browser.new_context()
    page = context.new_page()
    sent = []
    page.on(
        "request",
        lambda r: sent.append(r) if r.method != "GET" or urlsplit(r.url).netloc != urlsplit(url).netloc else None,
    )
    page.goto(url + "quizzes/basics-quiz/")
    answer(page, "basics-target", "b")  # wrong
    answer(page, "basics-start-dose", "5")  # right
    page.goto(url + "quizzes/safety-quiz/")
    answer(page, "safety-grade-3", "b")  # wrong
    answer(page, "safety-killers", "T cells")  # right

    page.goto(url + "quizzes/progress/")
    page.reload()
    basics, safety = module(page, "basics-quiz"), module(page, "safety-quiz")
    assert basics.locator(".kb-progress__score").inner_text() == (
        "Answered 2 of 5 · 1 correct · pass mark 60% (3 of 5) · in progress"
    )
    assert safety.locator(".kb-progress__score").inner_text() == (
        "Answered 2 of 2 · 1 correct · pass mark 75% (2 of 2) · not passed"
    )
    wrong = basics.locator(".kb-progress__list--wrong li")
    assert wrong.count() == 1
    assert wrong.inner_text().startswith("Question 1: Which antigen does examplumab bind?")
    assert wrong.get_by_role("link", name="Read: Examplumab").get_attribute("href").endswith("therapies/examplumab/")
    assert safety.locator(".kb-progress__list--wrong li").get_by_role("link", name="Read: Fever").count() == 1
    assert basics.locator(".kb-progress__list--changed").count() == 0
    # the retry link opens the module at that question
    wrong.get_by_role("link", name="Try it again").click()
    page.wait_for_url("**/quizzes/basics-quiz/#question-basics-target")
    assert page.locator("#question-basics-target").is_visible()

    # an educator rewords a question that was answered right: it is shown as changed, not counted
    edit(project / "data", "examplumab/quizzes.yaml", "prompt: What daily dose starts cycle 1?",
         "prompt: What daily dose opens cycle 1?")  # fmt: skip
    result = mkdocs_build(project, linkcheck=False)
    assert result.returncode == 0, result.stderr
    page.goto(url + "quizzes/progress/")
    assert basics.locator(".kb-progress__score").inner_text() == (
        "Answered 1 of 5 · 0 correct · pass mark 60% (3 of 5) · in progress"
    )
    changed = basics.locator(".kb-progress__list--changed li")
    assert changed.count() == 1 and changed.inner_text().startswith("Question 3: What daily dose opens cycle 1?")
    assert (
        changed.get_by_role("link", name="Answer it again")
        .get_attribute("href")
        .endswith("basics-quiz/#question-basics-start-dose")
    )

    # a reset clears every answer of the review, after asking
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Clear all my answers").click()
    assert basics.locator(".kb-progress__score").inner_text().startswith("Answered 1 of 5")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Clear all my answers").click()
    assert safety.locator(".kb-progress__score").inner_text().endswith("· not started")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kb-quiz:'))") == []
    assert "not answered any question" in page.locator(".kb-progress__status").inner_text()
    context.close()
    assert sent == []  # nothing left the browser


def test_without_answers_or_javascript_the_page_still_lists_the_modules(browser, mini):
    _, url = mini
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "quizzes/progress/")
    assert [h.rstrip("¶") for h in page.locator("article h2").all_inner_texts()] == [
        "Examplumab basics",
        "Examplumab safety",
    ]
    assert page.get_by_role("link", name="go to the module").count() == 2
    context.close()
