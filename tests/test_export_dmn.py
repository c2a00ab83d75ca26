"""DMN 1.3 export: valid against OMG's DMN 1.3 XSD, and evaluated by an independent DMN engine
(pyDMNrules) on every case the build-time verifier checks, which must agree with the project's own
evaluator (the one the page widget runs) on every case: the same rule, the same outputs."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest
from conftest import edit
from exports import KBS, by_name, load

from generator.decisions import cells, verify
from generator.export import dmn, prose

XSD = Path(__file__).parent / "fixtures" / "xsd" / "dmn13" / "DMN13.xsd"


@pytest.fixture(params=KBS)
def kb(request):
    return by_name(request.param)


@functools.cache
def schema():
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def test_every_table_is_valid_dmn_1_3(kb):
    files = dmn.files(kb)
    assert len(files) == len(kb.items("decision_tables"))
    for name, text in files.items():
        assert [e.reason for e in schema().iter_errors(text)] == [], name


def test_the_xsd_catches_a_mistake():
    text = next(iter(dmn.files(by_name("mini")).values()))
    assert list(schema().iter_errors(text.replace('hitPolicy="UNIQUE"', 'hitPolicy="UNIQUELY"')))


def disagreements(kb, table, text: str) -> tuple[int, list[str]]:
    """(cases checked, cases where pyDMNrules and compile_table differ) over the verifier's cases."""
    import pyDMNrules

    engine = pyDMNrules.DMN()
    status = engine.useXML(text)
    assert not status.get("errors"), status
    compiled = kb.compiled[table.id]  # as the build compiled it (figures in conditions resolved)
    outputs = {o.id: o.label for o in table.outputs}
    found, count = [], 0
    for combo in itertools.product(*(cells(i, compiled) for i in table.inputs)):
        case = dict(zip((i.id for i in table.inputs), combo, strict=True))
        count += 1
        _hits, winner = compiled.decide(case)
        status, result = engine.decide({i.label: case[i.id] for i in table.inputs})
        if winner is None:
            want = None
        else:
            rule = table.rules[winner]
            values = {
                label: None if rule.then[name].strip() == "-" else prose.to_plain(kb, rule.then[name])
                for name, label in outputs.items()
            }
            want = (rule.id, values)
        if status.get("errors") or not result:
            got = None
        else:
            got = (result["Executed Rule"][2], {label: result["Result"].get(label) for label in outputs.values()})
        if got != want:
            found.append(f"{table.id} {case}: the engine says {got}, the site {want}")
    return count, found


def test_an_independent_engine_agrees_on_every_verified_case(kb):
    total = 0
    for table in kb.items("decision_tables"):
        count, found = disagreements(kb, table, dmn.to_dmn(kb, table))
        assert found == [], found[:5]
        assert count == kb.reports[table.id].cases  # every case the verifier checks, no more, no fewer
        total += count
    assert total >= (600 if kb.review.id == "blinatumomab" else 9)


def test_the_real_tables_use_three_hit_policies():
    assert {t.hit_policy for t in by_name("real").items("decision_tables")} == {"unique", "first", "priority"}


@pytest.mark.parametrize(
    ("policy", "rules"),
    [
        (
            "any",  # overlapping rules that agree
            """      - id: also-mild
        when: {grade: ["1", "2"], temperature: ">= 3"}
        then: {action: "Observe; restart dose [[examplumab-pharmacology/c1-start]]"}
        rationale: Mild fever needs **no** interruption.
        refs: [2]
        evidence: {quote: needs no interruption of the infusion, section: Safety}
""",
        ),
        (
            "priority",  # a higher rule wins where it overlaps
            """      - id: hot
        when: {temperature: "(5..10]"}
        then: {action: "Cool down"}
        priority: 2
        rationale: A long fever needs more.
        refs: [2]
        evidence: {quote: needs no interruption of the infusion, section: Safety}
""",
        ),
        (
            "first",  # the first rule that matches wins
            """      - id: hot
        when: {temperature: "(8..10]"}
        then: {action: "Cool down"}
        rationale: A long fever needs more.
        refs: [2]
        evidence: {quote: needs no interruption of the infusion, section: Safety}
""",
        ),
    ],
)
def test_every_hit_policy_agrees(data, policy, rules):
    edit(data, "examplumab/decisions.yaml", "hit_policy: unique", f"hit_policy: {policy}")
    if policy == "any":
        edit(
            data,
            "examplumab/decisions.yaml",
            'when: {grade: ["1", "2"]}',
            'when: {grade: ["1", "2"], temperature: "<= 5"}',
        )
    if policy == "priority":
        edit(
            data,
            "examplumab/decisions.yaml",
            "        rationale: Mild fever",
            "        priority: 1\n        rationale: Mild fever",
        )
        edit(
            data,
            "examplumab/decisions.yaml",
            "        rationale: See [[fever]].",
            "        priority: 1\n        rationale: See [[fever]].",
        )
    if policy == "first":
        edit(data, "examplumab/decisions.yaml", "    rules:\n", "    rules:\n" + rules)
    else:
        edit(data, "examplumab/decisions.yaml", "    examples:", rules + "    examples:")
    kb = load(data)
    (table,) = kb.items("decision_tables")
    assert verify(table).problems == []
    count, found = disagreements(kb, table, dmn.to_dmn(kb, table))
    assert found == [] and count > 10


def test_a_changed_condition_is_caught():
    kb = by_name("mini")
    (table,) = kb.items("decision_tables")
    text = dmn.to_dmn(kb, table).replace('<text>"1","2"</text>', '<text>"1"</text>')
    _count, found = disagreements(kb, table, text)
    assert found and all("grade': '2'" in f for f in found)
