"""The site says no more than its source: evidence quotes, no hand-typed copies of figures,
qualifiers said once, right answers spread over the option positions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import MINI_DATA, ROOT, edit, review_of

from generator import fidelity
from generator.build import load_build, load_reviews
from generator.problems import DataError
from generator.schema import Question

MINI_SOURCES = MINI_DATA.parent / "sources"
REAL_SOURCES = ROOT.parent / "shared" / "source"


def problems(data: Path, sources: Path | None = MINI_SOURCES) -> list[str]:
    try:
        load_reviews(data, data.parent, sources)
    except DataError as err:
        return [str(p) for p in err.problems]
    return []


def test_the_fixture_quotes_are_found_in_its_source(data):
    assert problems(data) == []
    kb = review_of(data, "examplumab", sources=MINI_SOURCES)
    assert kb.source_checked


def test_a_quote_the_review_does_not_contain_is_reported_at_its_line(data):
    line = edit(
        data,
        "examplumab/decisions.yaml",
        "evidence: {quote: needs no interruption of the infusion, section: Safety}",
        "evidence: {quote: needs no interruption at all ever, section: Safety}",
    )
    assert problems(data) == [
        f'data/examplumab/decisions.yaml:{line}: "needs no interruption at all ever" is not in the section `Safety` '
        "of examplumab.txt; copy the words exactly as the review prints them"
    ]
    # without the review's text beside the project the quote cannot be checked, and the build says so
    assert problems(data, sources=None) == []
    kb = review_of(data, "examplumab", sources=None)
    assert not kb.source_checked


def test_a_quote_from_another_section_names_the_right_one(data):
    line = edit(
        data,
        "examplumab/decisions.yaml",
        "evidence: {quote: needs no interruption of the infusion, section: Safety}",
        "evidence: {quote: needs no interruption of the infusion, section: Dosing}",
    )
    assert problems(data) == [
        f'data/examplumab/decisions.yaml:{line}: "needs no interruption of the infusion" is not in the section '
        "`Dosing` of examplumab.txt; it is in the section `Safety`"
    ]


def test_an_actionable_item_needs_evidence_unless_the_review_is_silent(data):
    text = (data / "examplumab" / "decisions.yaml").read_text()
    edit(
        data,
        "examplumab/decisions.yaml",
        "        evidence: {quote: needs no interruption of the infusion, section: Safety}\n",
        "",
    )
    found = problems(data)
    rule_line = text[: text.index("      - id: mild")].count("\n") + 1
    assert len(found) == 1 and found[0].startswith(f"data/examplumab/decisions.yaml:{rule_line}: rule `mild` needs")
    assert "Not addressed by the review" in found[0]
    (data / "examplumab" / "decisions.yaml").write_text(
        text.replace("        evidence: {quote: needs no interruption of the infusion, section: Safety}\n", "").replace(
            '"Observe; restart dose', '"Not addressed by the review; restart dose'
        )
    )
    assert problems(data) == []


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("too short", "a quote of 2 words; quote 3 to 9 words"),
        ("one two three four five six seven eight nine ten", "a quote of 10 words; quote 3 to 9 words"),
    ],
)
def test_a_quote_is_three_to_nine_words(data, quote, message):
    edit(data, "examplumab/quizzes.yaml", "{quote: Examplumab binds antigen X,", f"{{quote: {quote},")
    found = problems(data)
    assert len(found) == 1 and message in found[0], found


def test_a_section_must_be_one_of_the_review(data):
    line = edit(
        data,
        "examplumab/quizzes.yaml",
        "{quote: Examplumab binds antigen X, section: Mechanism}",
        "{quote: Examplumab binds antigen X, section: Mechanisms}",
    )
    assert problems(data) == [
        f"data/examplumab/quizzes.yaml:{line}: `Mechanisms` is not a section of the review; use one of: "
        "Abstract, Mechanism, Dosing, Safety, Disclosure"
    ]


def test_a_figure_typed_by_hand_is_reported(data):
    line = edit(
        data,
        "examplumab/entities.yaml",
        'summary: "Randomised; remission in [[trial-a/cr]]."',
        'summary: "Remission in 40%."',
    )
    assert problems(data) == [
        f"data/examplumab/entities.yaml:{line}: `40%` is typed by hand, but it is the figure [[trial-a/cr]]; "
        "write the figure reference so the text changes when the figure does"
    ]


def test_a_quiz_option_typing_a_figure_of_the_page_it_tests_is_reported(data):
    line = edit(
        data, "examplumab/quizzes.yaml", "{id: c, text: It blocks a kinase,", "{id: c, text: A 40% remission rate,"
    )
    found = problems(data)
    assert (
        found
        == [
            f"data/examplumab/quizzes.yaml:{line}: `40%` is typed by hand, but it is the figure [[trial-a/cr]]; "
            "write the figure reference so the text changes when the figure does"
        ]
        or not found
    ), found
    # the module tests examplumab and fever; trial-a's figures are reached through a link
    edit(data, "examplumab/quizzes.yaml", "explanation: Binding, then killing.", "explanation: Binding ([[trial-a]]).")
    assert len(problems(data)) == 1


def test_a_numeric_answer_typed_by_hand_needs_a_reason(data):
    edit(
        data,
        "examplumab/quizzes.yaml",
        "answer: {figure: examplumab-pharmacology/c1-start, tolerance: 0}",
        "answer: {value: 5, unit: mcg/day}",
    )
    found = problems(data)
    assert len(found) == 1 and "point at the `figure` it asks about, or say in `why:`" in found[0], found


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "Most patients have some reaction.",
            '"Up to [[examplumab-safety/any]] react."',
            "`up to [[examplumab-safety/any]]` says the qualifier twice",
        ),
        (
            "Most patients have some reaction.",
            '"[[trial-a/enrolled]] patients took part."',
            "`[[trial-a/enrolled]] patients` says the unit twice",
        ),
        (
            "Most patients have some reaction.",
            '"About [[trial-a/os]] of survival."',
            None,
        ),  # 7.5 months has no qualifier
    ],
)
def test_a_qualifier_or_unit_the_figure_prints_is_not_said_again(data, old, new, message):
    line = edit(data, "examplumab/entities.yaml", old, new)
    found = problems(data)
    if message is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(f"data/examplumab/entities.yaml:{line}: {message}"), found


def test_options_are_shown_in_an_order_fixed_by_the_question_id():
    def question(order: list[str], qid: str = "q-one") -> Question:
        options = [{"id": i, "text": f"Option {i}", "correct": i == "a"} for i in order]
        return Question.model_validate(
            {"id": qid, "type": "single", "prompt": "P", "options": options, "explanation": "E", "refs": []}
        )

    shown = [o.id for o in fidelity.option_order(question(["a", "b", "c", "d"]))]
    assert shown == [o.id for o in fidelity.option_order(question(["d", "c", "b", "a"]))]  # not the written order
    orders = {tuple(o.id for o in fidelity.option_order(question(["a", "b", "c", "d"], f"q-{n}"))) for n in range(40)}
    assert len(orders) > 10
    assert {o[0] for o in orders} == {"a", "b", "c", "d"}  # the right answer is not always first


def test_a_module_with_most_right_answers_in_one_position_is_reported(data):
    quiz = yaml.safe_load((data / "examplumab" / "quizzes.yaml").read_text())
    module = quiz["quizzes"][0]
    for n in range(5):
        module["questions"].append(
            {
                "id": f"extra-{n}",
                "type": "single",
                "keep_order": True,
                "prompt": f"Question {n}?",
                "options": [{"id": "a", "text": "Right", "correct": True}, {"id": "b", "text": "Wrong"}],
                "explanation": "Not addressed by the review.",
                "refs": [],
            }
        )
    (data / "examplumab" / "quizzes.yaml").write_text(yaml.safe_dump(quiz, sort_keys=False))
    found = problems(data)
    assert len(found) == 1 and "the right answer is option (a) in" in found[0], found
    assert "set `order_seed:` on the module" in found[0]


# --- every figure changed: no page still shows the old value -------------------------------------


def _mutated(data: Path) -> dict[tuple[str, ...], str]:
    """Give every figure in `data` a new, unique value in place; returns original text per figure."""
    counter = iter(range(10_000))
    originals: dict[tuple[str, ...], str] = {}

    def new_number(unit: str, old: float) -> float:
        """A little off the old number, a different amount for each figure: shown with four
        decimals, never what the review printed, and still inside every input's domain."""
        delta = 0.0001 * (next(counter) + 1)
        return round(old - delta if (unit == "%" and old + delta > 100) else old + delta, 4)

    def walk(node: object, path: tuple[str, ...]) -> None:
        if isinstance(node, dict) and path and path[-1] == "n":  # a trial's patient counts
            for key in ("enrolled", "evaluable"):
                if isinstance(node.get(key), int):
                    node[key] = node[key] + 1000 + next(counter)
            return
        if isinstance(node, dict):
            if "unit" in node and any(k in node for k in ("value", "low", "high")) and "why" not in node:
                if path and path[-1] in ("cycle_length", "answer"):
                    return
                for key in ("value", "low", "high"):
                    if isinstance(node.get(key), int | float):
                        originals[(*path, key)] = node[key]
                if isinstance(node.get("value"), int | float):
                    node["value"] = new_number(node["unit"], node["value"])
                if isinstance(node.get("low"), int | float):
                    node["low"] = new_number(node["unit"], node["low"])
                    node["high"] = new_number(node["unit"], node["high"])
                for key in ("decimals", "count", "of"):  # "(16/20)" would keep the old numbers
                    node.pop(key, None)
                return
            for key, value in node.items():
                walk(value, (*path, str(key)))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, (*path, str(i)))

    for file in sorted(data.rglob("*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        walk(doc, (file.name,))
        file.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return originals


@pytest.mark.parametrize("which", ["mini", "real"])
def test_no_page_still_shows_a_figure_after_it_changed(tmp_path, which):
    """Change every figure at once: a page that still shows a figure's old number with its unit,
    where the page links to that figure's entity, holds a copy that would have gone stale."""
    source = MINI_DATA if which == "mini" else ROOT / "data"
    data = tmp_path / "data"
    shutil.copytree(source, data)
    before = load_build(data, data.parent, workers=1)
    (kb,) = before.reviews[:1]
    old: dict[str, list[tuple[float, str]]] = {}
    for target, found in kb.targets.items():
        if "/" in target and found.value is not None and found.value.unit != "fraction":
            old.setdefault(target.split("/")[0], []).extend(
                (n, found.value.unit) for n in fidelity.figure_numbers(found.value)
            )
    _mutated(data)
    # A boundary that moved may move a worked example or a quiz's table check to another rule:
    # that is the build telling the educator, not a page showing a stale figure.
    from generator import decisions, quiz

    checked = quiz.check
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(decisions, "_check_examples", lambda *args: None)
        patch.setattr(quiz, "check", lambda kb, q: [p for p in checked(kb, q) if "disagrees" not in p[1]])
        after = load_build(data, data.parent, workers=1)
    stale = []
    for path, text in after.pages.items():
        if not path.startswith(f"{kb.review.id}/") or path.endswith(("answer-key.md", "progress.md")):
            continue  # the answer key and the progress page repeat the quiz pages, which are checked
        body = re.sub(r"pass mark \d+%", "", text, flags=re.I)
        body = re.sub(r"<q>.*?</q>", "", body)  # the review's own words, quoted as printed
        body = re.sub(r"<svg\b.*?</svg>", "", body, flags=re.S)  # chart axes: 0%, 25%... 100%
        body = body.split("## Worked examples")[0]  # cases chosen to probe a table, not claims
        # a decision table's conditions are the build's own business: it makes every boundary that
        # equals a figure name that figure (checks.py, _boundary_problems)
        body = re.sub(r'<div class="kb-dt".*?</table>', "", body, flags=re.S)
        body = re.sub(r"\*\*Rule \d+[^*]*\*\*[^→\n]*→", "", body)  # the same conditions, in words
        body = body.replace("on a scale of 0 to 100%", "")  # a chart's axis, described
        shown = {(number, unit): written for written, number, unit in fidelity.typed_figures(body)}
        for owner, numbers in old.items():
            page = kb.targets[owner].page if owner in kb.targets else ""
            if not (path.endswith(page) or f"{page.rsplit('/', 1)[-1]}" in text):
                continue
            stale += [f"{path}: {shown[n]} ({owner})" for n in numbers if n in shown]
    assert sorted(set(stale)) == [], sorted(set(stale))


@pytest.mark.skipif(not REAL_SOURCES.is_dir(), reason="the review's text is not beside the project")
def test_every_quote_of_the_real_knowledge_base_is_in_the_review():
    kb = review_of(ROOT / "data", "blinatumomab", ROOT, REAL_SOURCES)
    assert kb.source_checked


TABLE = """decision_tables:
  - id: survival-table
    title: Survival
    summary: Against [[trial-a/os]].
    refs: [2]
    hit_policy: unique
    inputs:
      - {id: months, label: Months, type: number, unit: months, min: 0, max: 60}
    outputs:
      - {id: out, label: Out}
    rules:
      - {id: short, when: {months: "BELOW"}, then: {out: Short}, rationale: Not addressed by the review., refs: [2]}
      - {id: long, when: {months: "ABOVE"}, then: {out: Long}, rationale: Not addressed by the review., refs: [2]}
    examples:
      - {given: {months: 7}, expect: short}
"""


def test_a_table_boundary_can_name_a_figure_and_must_when_it_types_one(data):
    table = data / "examplumab" / "table.yaml"
    table.write_text(TABLE.replace("BELOW", "< [[trial-a/os]]").replace("ABOVE", ">= [[trial-a/os]]"))
    kb = review_of(data, "examplumab")
    assert kb.reports["survival-table"].complete and kb.compiled["survival-table"].decide({"months": 7.4})[1] == 0
    table.write_text(TABLE.replace("BELOW", "< 7.5").replace("ABOVE", ">= [[trial-a/os]]"))
    found = problems(data)
    assert len(found) == 1 and "the boundary 7.5 months is the figure [[trial-a/os]]" in found[0], found
    assert "write `< [[trial-a/os]]` so the rule moves with it" in found[0]
    table.write_text(TABLE.replace("BELOW", "< [[trial-a/cr]]").replace("ABOVE", ">= [[trial-a/os]]"))
    found = problems(data)
    assert any("`[[trial-a/cr]]` is in %, but input `months` is in months" in p for p in found), found


def test_a_table_boundary_can_name_an_end_of_a_range_figure(data):
    """The review's bands are ranges (creatinine clearance 60 to 89 mL/min): a boundary at a band's
    end names that end, so the table moves when the band does."""
    edit(
        data, "examplumab/entities.yaml", "value: {value: 7.5, unit: months}", "value: {low: 8, high: 9, unit: months}"
    )
    table = data / "examplumab" / "table.yaml"
    table.write_text(TABLE.replace("BELOW", "< [[trial-a/os|low]]").replace("ABOVE", ">= [[trial-a/os|low]]"))
    kb = review_of(data, "examplumab")
    assert kb.compiled["survival-table"].decide({"months": 7.9})[1] == 0
    assert kb.compiled["survival-table"].decide({"months": 8})[1] == 1
    table.write_text(TABLE.replace("BELOW", "< 8").replace("ABOVE", ">= [[trial-a/os|low]]"))
    (found,) = problems(data)
    assert "the boundary 8 months is the figure [[trial-a/os|low]]; write `< [[trial-a/os|low]]`" in found, found
    for written, message in [
        ("< [[trial-a/os]]", "`[[trial-a/os]]` is a range; name one end: `[[trial-a/os|low]]` or"),
        ("< [[trial-a/cr|low]]", "`[[trial-a/cr]]` is one number, not a range; write `[[trial-a/cr]]`"),
        ("< [[trial-a/os|middle]]", "after `|` a condition takes `low` or `high`"),
    ]:
        table.write_text(TABLE.replace("BELOW", written).replace("ABOVE", ">= [[trial-a/os|low]]"))
        assert any(message in p for p in problems(data)), (written, problems(data))
