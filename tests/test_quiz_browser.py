"""Quiz modules in Chromium: marking, feedback, score, saved progress, keyboard, instant navigation."""

from __future__ import annotations

import pytest
from conftest import ROOT, axe_violations, review_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def quiz_url(mini_url: str) -> str:
    return mini_url + "examplumab/quizzes/basics-quiz/"


def question(page, qid: str):
    return page.locator(f'[data-question="{qid}"]')


def check(page, qid: str) -> str:
    q = question(page, qid)
    q.get_by_role("button", name="Check").click()
    return q.locator('[role="status"]').inner_text()


def score(page) -> str:
    return page.locator(".kb-quiz__score").inner_text()


def test_wrong_then_right_answer_with_feedback_and_explanation(page, quiz_url):
    page.goto(quiz_url)
    q = question(page, "basics-target")
    q.locator('input[value="b"]').check()
    said = check(page, "basics-target")
    assert said.startswith("Incorrect.")
    assert "Your choice “Antigen Y”: That is comparatab's target." in said
    assert "The right answer, “Antigen X”: Right, it binds X." in said
    assert q.locator('[role="status"] a[href*="therapies/examplumab/"]').count() >= 1  # back to the page tested
    assert q.locator('[role="status"] a[href*="references/#ref-1"]').count() == 1
    q.get_by_role("button", name="Try again").click()
    assert q.locator("input:checked").count() == 0
    q.locator('input[value="a"]').check()
    assert check(page, "basics-target").startswith("Correct.")


def test_missed_option_of_a_multiple_choice_question(page, quiz_url):
    page.goto(quiz_url)
    q = question(page, "basics-steps")
    q.locator('input[value="a"]').check()
    said = check(page, "basics-steps")
    assert said.startswith("Incorrect.")
    assert "Your choice “It binds X”: First step." in said
    assert "Also correct, “T cells kill the cell”: Second step." in said


@pytest.mark.parametrize(
    ("typed", "verdict"),
    [
        ("5", "Correct."),
        ("5 mcg/day", "Correct."),
        ("5 µg/day", "Correct."),
        (" 5.0  ug/day", "Correct."),
        ("6", "Incorrect."),
        ("5 mg/day", "Incorrect."),
        ("five", "Enter a number"),
    ],
)
def test_numeric_answers_with_and_without_units(page, quiz_url, typed, verdict):
    page.goto(quiz_url)
    question(page, "basics-start-dose").locator("input").fill(typed)
    said = check(page, "basics-start-dose")
    assert said.startswith(verdict), said
    if typed == "5 mg/day":
        assert "Check the unit: the answer is in µg/day." in said


@pytest.mark.parametrize(
    ("typed", "verdict"), [("fda", "Correct."), ("  food and   Drug administration", "Correct."), ("EMA", "Incorrect.")]
)
def test_short_answer_alternatives(page, quiz_url, typed, verdict):
    page.goto(quiz_url)
    question(page, "basics-short").locator("input").fill(typed)
    assert check(page, "basics-short").startswith(verdict)


def test_learner_text_is_never_markup(page, quiz_url):
    page.goto(quiz_url)
    question(page, "basics-short").locator("input").fill("<img src=x onerror=alert(1)>")
    check(page, "basics-short")
    assert page.locator("[data-quiz] img").count() == 0


def test_score_against_pass_mark_and_reset_with_confirmation(page, quiz_url):
    page.goto(quiz_url)
    assert score(page) == "Answered 0 of 5 · 0 correct · pass mark 60% (3 of 5) · in progress"
    question(page, "basics-target").locator('input[value="a"]').check()
    check(page, "basics-target")
    question(page, "basics-start-dose").locator("input").fill("5")
    check(page, "basics-start-dose")
    question(page, "basics-case-action").locator('input[value="b"]').check()
    check(page, "basics-case-action")
    assert score(page) == "Answered 3 of 5 · 3 correct · pass mark 60% (3 of 5) · passed"
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Reset module").click()
    assert score(page).startswith("Answered 3 of 5")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Reset module").click()
    assert score(page).startswith("Answered 0 of 5")


def test_the_score_counts_only_what_was_answered(page, quiz_url):
    """One right answer of five is 'in progress', not a score of 20%; five wrong answers do not pass."""
    page.goto(quiz_url)
    question(page, "basics-target").locator('input[value="a"]').check()
    check(page, "basics-target")
    assert score(page) == "Answered 1 of 5 · 1 correct · pass mark 60% (3 of 5) · in progress"
    question(page, "basics-target").get_by_role("button", name="Try again").click()
    for qid, wrong in [("basics-target", "b"), ("basics-steps", "c"), ("basics-case-action", "a")]:
        question(page, qid).locator(f'input[value="{wrong}"]').check()
        check(page, qid)
    question(page, "basics-start-dose").locator("input").fill("6")
    check(page, "basics-start-dose")
    question(page, "basics-short").locator("input").fill("EMA")
    check(page, "basics-short")
    assert score(page) == "Answered 5 of 5 · 0 correct · pass mark 60% (3 of 5) · not passed"


def test_progress_survives_reload_and_resets_when_the_question_changed(page, quiz_url):
    page.goto(quiz_url)
    question(page, "basics-target").locator('input[value="b"]').check()
    check(page, "basics-target")
    question(page, "basics-short").locator("input").fill("FDA")  # typed, not yet checked
    question(page, "basics-short").locator("input").dispatch_event("change")
    page.reload()
    q = question(page, "basics-target")
    assert q.locator('input[value="b"]').is_checked()
    assert q.locator('[role="status"]').inner_text().startswith("Incorrect.")
    assert question(page, "basics-short").locator("input").input_value() == "FDA"
    assert score(page).startswith("Answered 1 of 5")
    # the educator edits the question: its version changes and saved progress no longer applies
    page.evaluate("""() => {
        const s = JSON.parse(localStorage.getItem('kb-quiz:examplumab/basics-target'));
        s.v = 'older-version'; localStorage.setItem('kb-quiz:examplumab/basics-target', JSON.stringify(s));
    }""")
    page.reload()
    q = question(page, "basics-target")
    assert q.locator("input:checked").count() == 0
    assert "updated since your last attempt" in q.locator(".kb-quiz__note").inner_text()
    assert page.evaluate("localStorage.getItem('kb-quiz:examplumab/basics-target')") is None


def test_arrow_keys_move_without_submitting(page, quiz_url):
    page.goto(quiz_url)
    first = question(page, "basics-target").locator('input[value="a"]')
    first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert question(page, "basics-target").locator('input[value="b"]').is_checked()
    assert question(page, "basics-target").locator('[role="status"]').inner_text() == ""
    assert score(page).startswith("Answered 0 of 5")
    page.keyboard.press("Tab")  # to Check
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    assert question(page, "basics-target").locator('[role="status"]').inner_text().startswith("Incorrect.")


def test_instant_navigation_does_not_duplicate_controls(page, quiz_url):
    page.goto(quiz_url)
    page.locator("article a[href$='therapies/examplumab/']").first.click()
    page.wait_for_url("**/therapies/examplumab/")
    page.get_by_role("link", name="Examplumab basics").first.click()
    page.wait_for_url("**/quizzes/basics-quiz/")
    page.wait_for_selector(".kb-quiz__summary")
    assert page.locator(".kb-quiz__summary").count() == 1
    assert page.get_by_role("button", name="Check").count() == 5
    assert page.locator('[data-question="basics-target"] [role="status"]').count() == 1


def test_without_javascript_questions_read_as_a_list_with_collapsed_answers(browser, quiz_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(quiz_url)
    assert page.locator(".kb-quiz__q fieldset legend").count() == 5
    answer = page.locator('details[data-answer-for="basics-target"]')
    assert answer.is_visible() and not answer.get_attribute("open")
    assert "Antigen X" in answer.text_content()
    assert page.get_by_role("button", name="Check").count() == 0
    context.close()


KB = review_of(ROOT / "data", "blinatumomab", ROOT)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_shipped_module_works_and_passes_axe_when_answered(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    for quiz in KB.items("quizzes"):
        page.goto(f"{site_url}{KB.review.id}/quizzes/{quiz.id}/")
        questions = quiz.all_questions()
        assert page.get_by_role("button", name="Check").count() == len(questions)
        first = questions[0]
        box = question(page, first.id)
        if first.options:
            box.locator(f'input[value="{next(o.id for o in first.options if o.correct)}"]').check()
        elif first.type == "short":
            box.locator("input").fill(first.accept[0])
        else:
            box.locator("input").fill(f"{KB.answers[first.id][0]:g}")
        verdict = check(page, first.id)
        assert verdict.startswith("Correct."), verdict
        assert axe_violations(page) == [], quiz.id
    context.close()


def test_quiz_assets_are_static_and_within_budget(built_site):
    import gzip

    size = len(gzip.compress((built_site / "assets" / "kb-site" / "quiz.js").read_bytes(), 9))
    assert size <= 12 * 1024
    page = next((built_site / KB.review.id / "quizzes").glob("quiz-*/index.html")).read_text(encoding="utf-8")
    assert "assets/kb-site/quiz.js" in page and "kb-quiz:" not in page  # no inline script of ours


def test_pages_link_to_their_module(built_site):
    for quiz in KB.items("quizzes"):
        for target in quiz.tests:
            page_path = KB.targets[target].page.removesuffix(".md").removesuffix("index")
            html = (built_site / KB.review.id / page_path.rstrip("/") / "index.html").read_text(encoding="utf-8")
            assert "Test yourself" in html and f"quizzes/{quiz.id}/" in html, (quiz.id, target)
