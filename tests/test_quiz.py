"""Quiz modules: validation against the knowledge base, content versions, search. (Exports: test_export_*.py)"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, edit, problems, review_of

from generator.quiz import normalise, version
from generator.render import PageContext

QUIZ = "examplumab/quizzes.yaml"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{id: a, text: Antigen X, correct: true,", "{id: a, text: Antigen X,", "no option is marked `correct: true`"),
        ("{id: b, text: Antigen Y,", "{id: b, text: Antigen Y, correct: true,", "exactly one correct option"),
        (
            "answer: {figure: examplumab-pharmacology/c1-start, tolerance: 0}",
            "answer: {value: 5, unit: mcg/day, low: 6, high: 9, why: a test}",
            "the answer 5 lies outside its own accepted range 6–9",
        ),
        (
            "answer: {figure: examplumab-pharmacology/c1-start, tolerance: 0}",
            "answer: {figure: examplumab-pharmacology/nothing, tolerance: 0}",
            "`examplumab-pharmacology/nothing` is not a figure in the data",
        ),
        (
            "answer: {figure: examplumab-pharmacology/c1-start, tolerance: 0}",
            "answer: {value: 5, unit: mcg/day, tolerance: -1}",
            "must be at least 0",
        ),
        (
            "        refs: [1]\n        evidence: {quote: Examplumab binds antigen X",
            "        refs: [9]\n        evidence: {quote: Examplumab binds antigen X",
            "cites reference 9",
        ),
        (
            "        tests: examplumab\n      - id: basics-steps",
            "        tests: examplumab-x\n      - id: basics-steps",
            "`examplumab-x` is not the id of an entity or overview page",
        ),
        (
            "      - id: basics-short",
            "      - id: basics-target",
            "item id `basics-target` is used twice in `basics-quiz`",
        ),
        (
            'check: {table: fever-by-grade, given: {grade: "3", temperature: 1}}',
            'check: {table: fever-by-grade, given: {grade: "1", temperature: 1}}',
            "question `basics-case-action` disagrees with decision table `fever-by-grade`: for Fever grade: 1, "
            "Temperature: 1, the table applies rule `mild`, which option `a` states; mark it correct instead of `b`",
        ),
        (
            'check: {table: fever-by-grade, given: {grade: "3", temperature: 1}}',
            'check: {table: fever-by-grade, given: {grade: "3"}}',
            "the check gives no value for `temperature`",
        ),
        ("    pass_mark: 60", "    pass_mark: 160", "must be at most 100"),
    ],
)
def test_mistakes_in_questions_are_reported_with_their_line(data, old, new, message):
    edit(data, QUIZ, old, new)
    found = problems(data)
    assert len(found) == 1, found
    assert found[0].startswith(f"data/{QUIZ}:") and message in found[0], found[0]


def test_version_changes_when_the_figure_behind_an_answer_changes(data):
    kb = review_of(data, "examplumab")
    question = kb.entities["quizzes"]["basics-quiz"].questions[2]
    before = version(kb, question)
    edit(data, "examplumab/entities.yaml", "dose: {value: 5, unit: mcg/day}", "dose: {value: 6, unit: mcg/day}")
    kb2 = review_of(data, "examplumab")
    assert version(kb2, kb2.entities["quizzes"]["basics-quiz"].questions[2]) != before
    assert version(kb2, kb2.entities["quizzes"]["basics-quiz"].questions[0]) == version(
        kb, kb.entities["quizzes"]["basics-quiz"].questions[0]
    )


def test_short_answers_ignore_case_and_spacing():
    assert normalise("  Food   and drug ADMINISTRATION ") == "food and drug administration"


@pytest.fixture(scope="module")
def kb():
    kb = review_of(ROOT / "data", "blinatumomab", ROOT)
    return kb


def test_the_question_bank_covers_every_module_and_type(kb):
    quizzes = kb.items("quizzes")
    ids = {q.id for q in quizzes}
    assert {
        "quiz-mechanism",
        "quiz-pharmacology",
        "quiz-toxicity",
        "quiz-rr-trials",
        "quiz-mrd",
        "quiz-comparators",
    } <= ids
    questions = [q for quiz in quizzes for q in quiz.all_questions()]
    assert len(questions) >= 60
    assert {q.type for q in questions} == {"single", "multiple", "numeric", "short"}
    assert sum(len(quiz.vignettes) for quiz in quizzes) >= 3
    assert all(q.explanation and q.tests for q in questions)
    # the review states a few facts (hospital stay, premedication, the MRD definition) without a citation
    assert sum(not q.refs for q in questions) <= len(questions) // 5
    checked = [q for q in questions if q.check]
    assert len(checked) >= 4
    numeric = [q for q in questions if q.type == "numeric"]
    assert all(q.answer.figure for q in numeric), "numeric answers point at figures of the data"


@pytest.mark.slow
def test_answers_stay_out_of_the_search_index(built_site, kb):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert f"{kb.review.id}/educators/answer-key/" not in locations
    quiz = kb.items("quizzes")[0]
    assert f"{kb.review.id}/quizzes/{quiz.id}/" in locations
    own = [d for d in index["docs"] if d["location"].startswith(f"{kb.review.id}/quizzes/{quiz.id}/")]
    text = " ".join(d["text"] for d in own)
    first = quiz.all_questions()[0]
    assert " ".join(PageContext(kb, "x.md").text(first.prompt).split())[:40] in " ".join(text.split())
    # what only the collapsed answers hold is missing from the index
    assert "Answer to question" not in text and "Read more:" not in text and "Answer:" not in text
