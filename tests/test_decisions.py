"""The decision-table verifier: planted overlaps, gaps, shadowed rules and failing examples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI_DATA, review_of

from generator.build import load_reviews
from generator.decisions import compile_table, verify
from generator.problems import DataError
from generator.schema import DecisionTable

GRADE = {"id": "grade", "label": "Grade", "type": "enum", "values": ["1", "2", "3", "4"]}
CRCL = {"id": "crcl", "label": "CrCl", "type": "number", "unit": "mL/min", "min": 0, "max": 200}
FLAG = {"id": "flag", "label": "Flag", "type": "boolean"}


def rule(rule_id: str, when: dict, out: str = "x", **extra) -> dict:
    return {"id": rule_id, "when": when, "then": {"do": out}, "rationale": "Because.", "refs": [], **extra}


def table(rules: list[dict], inputs: list[dict] | None = None, policy: str = "unique", **extra) -> DecisionTable:
    return DecisionTable.model_validate(
        {
            "id": "t",
            "title": "T",
            "summary": "S",
            "refs": [],
            "hit_policy": policy,
            "inputs": inputs or [GRADE],
            "outputs": [{"id": "do", "label": "Do"}],
            "rules": rules,
            **extra,
        }
    )


def messages(t: DecisionTable) -> list[str]:
    return [message for _loc, message in verify(t).problems]


def test_a_complete_unique_table_passes_and_counts_its_cases():
    t = table(
        [
            rule("low", {"grade": ["1", "2"], "crcl": "< 30"}),
            rule("low-ok", {"grade": ["1", "2"], "crcl": ">= 30"}),
            rule("high", {"grade": ["3", "4"]}),
        ],
        inputs=[GRADE, CRCL],
    )
    report = verify(t)
    assert report.problems == []
    # CrCl cut at 0, 30, 200: cells {0} (0,30) {30} (30,200) {200} -> 5, times 4 grades
    assert report.cases == 20 and report.complete
    assert report.badge(t) == "Verified at build time: complete, no overlaps, 20 cases checked"
    assert set(report.witnesses) == {"low", "low-ok", "high"}
    assert report.witnesses["low"]["crcl"] < 30


def test_overlap_under_unique_names_both_rules_and_a_case():
    found = messages(table([rule("a", {"grade": ["1", "2"]}), rule("b", {"grade": ["2", "3", "4"]})]))
    assert found == ["decision table `t`: rules `a` and `b` overlap (hit policy unique), e.g. grade=2"]


def test_gap_names_an_uncovered_case():
    found = messages(table([rule("a", {"crcl": "< 30"}), rule("b", {"crcl": "> 30"})], inputs=[CRCL]))
    assert len(found) == 1
    assert found[0].startswith("decision table `t` leaves 1 case(s) uncovered, e.g. crcl=30 mL/min")


def test_boundary_gap_between_closed_intervals_is_found():
    found = messages(table([rule("a", {"crcl": "[0..59]"}), rule("b", {"crcl": "[60..200]"})], inputs=[CRCL]))
    assert "leaves 1 case(s) uncovered, e.g. crcl=59.5 mL/min" in found[0]


def test_a_declared_partial_table_may_leave_gaps():
    t = table([rule("a", {"grade": "1"})], partial="The source only covers grade 1.")
    report = verify(t)
    assert report.problems == [] and report.gaps == 3
    assert "partial by design, 3 uncovered" in report.badge(t)


def test_shadowed_rule_under_first():
    found = messages(table([rule("all", {}), rule("three", {"grade": "3"})], policy="first"))
    assert found == ["decision table `t`: rule `three` never applies: it is shadowed by rule `all` (hit policy first)"]


def test_shadowed_rule_under_priority():
    t = table([rule("low", {"grade": "2"}, priority=1), rule("top", {}, priority=5)], policy="priority")
    assert messages(t) == [
        "decision table `t`: rule `low` never applies: it is shadowed by rule `top` (hit policy priority)"
    ]


def test_priority_tie_with_different_outputs_is_an_error():
    t = table(
        [rule("a", {"grade": ["1", "2"]}, "x", priority=1), rule("b", {"grade": ["2", "3", "4"]}, "y", priority=1)],
        policy="priority",
    )
    assert messages(t) == [
        "decision table `t`: rules `a` and `b` overlap with equal priority but different outputs, e.g. grade=2"
    ]


def test_any_policy_overlaps_must_agree_and_subsumed_rules_are_reported():
    disagree = table([rule("a", {"grade": ["1", "2"]}, "x"), rule("b", {"grade": ["2", "3", "4"]}, "y")], policy="any")
    assert messages(disagree) == [
        "decision table `t`: rules `a` and `b` overlap and disagree (hit policy any), e.g. grade=2"
    ]
    subsumed = table([rule("a", {"grade": ["1", "2", "3", "4"]}), rule("b", {"grade": "2"})], policy="any")
    assert messages(subsumed) == [
        "decision table `t`: rule `b` is subsumed by rule `a`: every case it matches, that rule matches too"
    ]


def test_failing_and_incomplete_examples():
    t = table(
        [rule("a", {"grade": ["1", "2"]}), rule("b", {"grade": ["3", "4"]})],
        examples=[
            {"given": {"grade": "3"}, "expect": "a"},
            {"given": {}, "expect": "a"},
            {"given": {"grade": "7"}, "expect": "a"},
        ],
    )
    assert messages(t) == [
        "decision table `t`: example 1 (grade=3) expects rule `a` but rule `b` applies",
        "decision table `t`: example 2 gives no value for `grade`",
        "decision table `t`: example 3: `7` is not a value of input `grade` (1, 2, 3, 4)",
    ]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"grade": "5"}, "rule `a`: `5` is not a value of input `grade` (1, 2, 3, 4)"),
        ({"stage": "1"}, "rule `a` tests `stage`, which is not an input of the table"),
        ({"crcl": "< 300"}, "rule `a`: `< 300` reaches outside the domain of `crcl` (0–200 mL/min)"),
        ({"crcl": "about 30"}, "rule `a`: cannot read `about 30` as a condition on `crcl`"),
        ({"crcl": "(30..30)"}, "rule `a`: `(30..30)` contains no value"),
        ({"flag": "yes please"}, "rule `a`: input `flag` is true/false"),
    ],
)
def test_ill_typed_conditions_are_reported(when, message):
    found = messages(table([rule("a", when)], inputs=[GRADE, CRCL, FLAG]))
    assert len(found) == 1 and found[0].startswith(message), found


def test_missing_output_and_missing_priority():
    t = table([{"id": "a", "when": {}, "then": {}, "rationale": "r", "refs": []}], policy="priority")
    assert messages(t) == [
        "rule `a` gives no `do`; write - if none",
        "rule `a` needs a `priority` (the table's hit policy)",
    ]


def test_compiled_conditions_evaluate_like_the_widget():
    t = table(
        [rule("a", {"crcl": "[30..60)"}), rule("b", {"crcl": "< 30"}), rule("c", {"crcl": ">= 60"})], inputs=[CRCL]
    )
    compiled = compile_table(t)
    assert [compiled.decide({"crcl": x})[1] for x in (0, 29.9, 30, 59.99, 60, 200)] == [1, 1, 0, 0, 2, 2]


def test_problems_in_yaml_are_reported_with_file_and_line(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    path = data / "examplumab" / "decisions.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'when: {grade: "3"}' in text
    path.write_text(text.replace('when: {grade: "3"}', 'when: {grade: ["2", "3"]}'), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_reviews(data, tmp_path)
    (problem,) = err.value.problems
    line = text[: text.index('when: {grade: "3"}')].count("\n")  # the rule's `- id:` line, 0-based
    assert str(problem.path) == "data/examplumab/decisions.yaml" and problem.line in (line, line + 1)
    assert "rules `mild` and `severe` overlap (hit policy unique), e.g. grade=2" in problem.message


def test_every_shipped_table_verifies_with_examples():
    root = Path(__file__).resolve().parent.parent
    kb = review_of(root / "data", "blinatumomab", root)
    tables = kb.items("decision_tables")
    assert len(tables) >= 6
    for t in tables:
        report = kb.reports[t.id]
        assert report.complete and report.problems == [], t.id
        assert t.examples, f"{t.id} has no worked example"
        assert set(report.witnesses) == {r.id for r in t.rules}, t.id


def test_a_domain_near_the_largest_float_has_no_false_gap():
    """The cell between two boundaries is represented by their midpoint, which must not overflow to
    infinity (a false gap at x=inf). The schema refuses such domains; the verifier copes anyway."""
    from generator.decisions import Compiled, Interval, cells

    t = table([rule("low", {"x": "< 10"}), rule("high", {"x": ">= 10"})], inputs=[{**CRCL, "id": "x"}])
    wide = t.inputs[0].model_copy(update={"min": -1.7e308, "max": 1.7e308})
    compiled = Compiled(t, [{"x": Interval(-1.7e308, 1e308, True, False)}, {"x": Interval(1e308, 1.7e308)}])
    points = cells(wide, compiled)
    assert all(abs(p) != float("inf") for p in points), points
    assert all(any(compiled.matches(i, {"x": p}) for i in range(2)) for p in points)


def test_conditions_read_as_a_clinician_writes_them():
    """A bound that is only the edge of the input's range is left unsaid: '>7 days', not '>7 and ≤60 days'."""
    from generator.decisions import condition_text

    days = {"id": "days", "label": "Days", "type": "number", "unit": "days", "min": 0, "max": 60}
    t = table(
        [
            rule("short", {"days": "<= 7"}),
            rule("long", {"days": "> 7"}),
            rule("band", {"days": "[7..30)"}),
            rule("exact", {"days": "14"}),
            rule("all", {"days": "[0..60]"}),
            rule("flagged", {"flag": True}),
        ],
        inputs=[days, FLAG],
        policy="first",
    )
    compiled = compile_table(t)
    said = [condition_text(r, t.inputs[0], compiled, n) for n, r in enumerate(t.rules)]
    assert said == ["≤7 days", ">7 days", "≥7 and <30 days", "14 days", "any", "any"]
    assert condition_text(t.rules[5], t.inputs[1], compiled, 5) == "yes"
