"""A site built from data an attacker or a careless editor could propose, checked in Chromium.

A second review, `hostilia`, copies the fictional one with what validation accepts but a page must
still handle: a title full of quotes, `&` and `<`; a glossary term the two reviews expand
differently, one with a <script> in its text; `&quot;` typed in a quiz feedback and markup in a
question (which My progress shows when it was answered wrongly); the same question
ids as the first review; a decision table whose answer depends on an input left empty.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DATA, make_project, mkdocs_build, serve

pytestmark = pytest.mark.browser

TITLE = 'Tom\'s <b>"bold"</b> & co'
PROMPT = "Which <img src=x onerror=alert(1)> &quot;steps&quot; belong to it?"


def hostile_data(dest: Path) -> Path:
    shutil.copytree(MINI_DATA, dest)
    review = dest / "hostilia"
    shutil.copytree(dest / "examplumab", review)

    def edit(name: str, old: str, new: str) -> None:
        path = review / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit("review.yaml", "  id: examplumab\n", "  id: hostilia\n")
    edit(
        "review.yaml",
        "  title: Examplumab in fictional leukaemia\n",
        f"  title: '{TITLE.replace(chr(39), chr(39) * 2)}'\n",
    )
    edit(
        "entities.yaml",
        "{term: CR, expansion: complete remission}",
        "{term: CR, expansion: \"<script>alert('cr')</script> complete response\"}",
    )
    edit("quizzes.yaml", 'feedback: "Right, it binds X."', "feedback: 'Say &quot;hi&quot; & <i>x</i>'")
    edit("quizzes.yaml", "prompt: Which steps belong to its mechanism?", f"prompt: '{PROMPT}'")
    edit(
        "decisions.yaml",
        """      - id: severe
        when: {grade: "3"}""",
        """      - id: severe
        when: {grade: "3", temperature: "< 5"}""",
    )
    edit(
        "decisions.yaml",
        "    examples:",
        """      - id: severe-long
        when: {grade: "3", temperature: ">= 5"}
        then: {action: Stop}
        rationale: Long fever.
        refs: [2]
        evidence: {quote: Grade 3 fever requires interrupting the infusion, section: Safety}
    examples:""",
    )
    return dest


@pytest.fixture(scope="session")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("hostile") / "p", MINI_DATA)
    shutil.rmtree(project / "data")
    hostile_data(project / "data")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    server, url = serve(project / "site")
    yield url
    server.shutdown()


@pytest.fixture
def watched(page):
    """The page, failing the test on any dialog (a script ran) or uncaught script error."""
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: events.append(f"error: {e}"))
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:")) else events.append(r.url))
    yield page, events


def test_no_script_runs_and_nothing_is_requested_elsewhere(watched, hostile_url):
    page, events = watched
    for path in ["hostilia/", "hostilia/glossary/", "hostilia/quizzes/basics-quiz/", "hostilia/trials/trial-a/"]:
        page.goto(hostile_url + path)
        page.wait_for_load_state("load")
    assert events == []
    # the other review's expansion of CR is shown as text, in a tooltip, on its own pages only
    page.goto(hostile_url + "hostilia/glossary/")
    assert "<script>alert('cr')</script> complete response" in page.locator("article").inner_text()
    titles = page.locator("article abbr").evaluate_all("els => els.map(e => e.title)")
    assert "<script>alert('cr')</script> complete response" in titles
    page.goto(hostile_url + "examplumab/glossary/")
    titles = page.locator("article abbr").evaluate_all("els => els.map(e => e.title)")
    assert "complete remission" in titles and not any("script" in t for t in titles)
    assert page.locator("article script").count() == 0


def test_a_title_with_quotes_and_ampersands_reads_the_same_everywhere(watched, hostile_url):
    page, events = watched
    page.goto(hostile_url + "examplumab/glossary/")
    labels = page.locator("a.md-footer__link").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert f"Next: {TITLE}" in labels, labels
    page.goto(hostile_url + "hostilia/")
    assert page.locator("h1").inner_text().removesuffix("¶") == TITLE
    assert page.title().startswith(TITLE)


def test_typed_entities_in_feedback_do_not_break_the_module(watched, hostile_url):
    page, events = watched
    page.goto(hostile_url + "hostilia/quizzes/basics-quiz/")
    box = page.locator('[data-question="basics-target"]')
    assert page.get_by_role("button", name="Check").count() == 5
    box.locator('input[value="a"]').check()
    box.get_by_role("button", name="Check").click()
    said = box.locator('[role="status"]').inner_text()
    assert said.startswith("Correct.") and "Say &quot;hi&quot; & <i>x</i>" in said, said
    assert events == []


def test_progress_is_kept_per_review(watched, hostile_url):
    page, _ = watched
    page.goto(hostile_url + "examplumab/quizzes/basics-quiz/")
    box = page.locator('[data-question="basics-target"]')
    box.locator('input[value="a"]').check()
    box.get_by_role("button", name="Check").click()
    page.goto(hostile_url + "hostilia/quizzes/basics-quiz/")
    assert page.locator(".kb-quiz__score").inner_text().startswith("Answered 0 of 5")
    page.goto(hostile_url + "examplumab/quizzes/basics-quiz/")
    assert page.locator(".kb-quiz__score").inner_text().startswith("Answered 1 of 5")


def test_an_empty_input_the_answer_depends_on_is_asked_for(watched, hostile_url):
    page, events = watched
    page.goto(hostile_url + "hostilia/decisions/fever-by-grade/")
    box = page.locator("[data-decision-table]")
    status = box.locator('[role="status"]')
    box.get_by_label("Fever grade").select_option("3")
    assert "depends on Temperature" in status.inner_text()
    assert box.locator("tr[data-match]").count() == 0
    box.get_by_label("Temperature").fill("6")
    assert "Rule 3 applies" in status.inner_text() and "Stop" in status.inner_text()
    # where the empty input cannot change the answer, the answer is given
    box.get_by_label("Temperature").fill("")
    box.get_by_label("Fever grade").select_option("1")
    assert "Rule 1 applies" in status.inner_text()
    assert events == []


def test_my_progress_shows_a_question_as_text_and_keeps_reviews_apart(watched, hostile_url):
    page, events = watched
    page.goto(hostile_url + "hostilia/quizzes/basics-quiz/")
    box = page.locator('[data-question="basics-steps"]')
    box.locator('input[value="c"]').check()
    box.get_by_role("button", name="Check").click()
    page.goto(hostile_url + "hostilia/quizzes/progress/")
    wrong = page.locator('[data-module="basics-quiz"] .kb-progress__list--wrong li')
    assert wrong.inner_text().startswith(f"Question 2: {PROMPT}")
    assert page.locator("article img").count() == 0
    page.goto(hostile_url + "examplumab/quizzes/progress/")
    assert page.locator('[data-module="basics-quiz"] .kb-progress__score').inner_text().startswith("Answered 0 of 5")
    assert events == []
