"""Decision tables: conditions compiled to sets and intervals, and verified over every case.

The verifier cuts each numeric input's domain at every rule boundary and checks one case per cell
of the resulting grid (each boundary point and each open stretch between two boundaries), crossed
with every enum value and both booleans. Within a cell no condition can change its verdict, so
checking one case per cell checks them all. `compile_table` is also what the page's widget runs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .loader import Loc
from .schema import DecisionInput, DecisionRule, DecisionTable
from .values import format_number, unit_after

MAX_CASES = 200_000
_NUM = r"[-+]?\d+(?:\.\d+)?"
_COMPARE = re.compile(rf"^(<=|>=|<|>|=)?\s*({_NUM})$")
_INTERVAL = re.compile(rf"^([\[(])\s*({_NUM})\s*\.\.\s*({_NUM})\s*([\])])$")


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    def __contains__(self, x: float) -> bool:
        above = x > self.low or (self.low_closed and x == self.low)
        below = x < self.high or (self.high_closed and x == self.high)
        return above and below

    def empty(self) -> bool:
        return self.low > self.high or (self.low == self.high and not (self.low_closed and self.high_closed))

    def text(self, unit: str | None, low: float | None = None, high: float | None = None) -> str:
        """How a clinician writes the condition: '>7 days', '≥30 and <60 mL/min', '3 days'. A bound
        that is only the edge of the input's domain (`low`, `high`: its min and max) is left unsaid."""
        u = unit_after(unit)
        lo, hi = _fmt(self.low), _fmt(self.high)
        if self.low == self.high:
            return f"{lo}{u}"
        left, right = ("≥" if self.low_closed else ">"), ("≤" if self.high_closed else "<")
        from_edge = self.low == low and self.low_closed
        to_edge = self.high == high and self.high_closed
        if from_edge and to_edge:
            return "any"
        if to_edge:
            return f"{left}{lo}{u}"
        if from_edge:
            return f"{right}{hi}{u}"
        return f"{left}{lo} and {right}{hi}{u}"


def _fmt(x: float) -> str:
    """A boundary as figures print it (values.format_number): never rounded away."""
    text = format_number(x)
    return text if float(text.replace(",", "")) == x else repr(float(x))


@dataclass
class Compiled:
    """A table ready to evaluate: for each rule, input id -> set of values / bool / Interval."""

    table: DecisionTable
    conditions: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[Loc, str]] = field(default_factory=list)

    @property
    def inputs(self) -> dict[str, DecisionInput]:
        return {i.id: i for i in self.table.inputs}

    def matches(self, index: int, case: dict[str, Any]) -> bool:
        for name, cond in self.conditions[index].items():
            value = case[name]
            if isinstance(cond, Interval | frozenset):
                if value not in cond:
                    return False
            elif cond is not value:
                return False
        return True

    def decide(self, case: dict[str, Any]) -> tuple[list[int], int | None]:
        """(indexes of the matching rules, index of the rule that applies under the hit policy)."""
        hits = [i for i in range(len(self.conditions)) if self.matches(i, case)]
        if not hits:
            return hits, None
        policy = self.table.hit_policy
        if policy == "priority":
            top = max(self.table.rules[i].priority or 0 for i in hits)
            return hits, next(i for i in hits if (self.table.rules[i].priority or 0) == top)
        return hits, hits[0]


#: What a `[[entity/figure]]` in a numeric condition stands for: (number, unit), or a message. The
#: second argument is the end of a range figure the condition names (`[[entity/band|low]]`), or None.
Resolve = Callable[[str, "str | None"], "tuple[float, str] | str"]
_FIGURE = re.compile(r"\[\[\s*([^\[\]|]+?)\s*(?:\|\s*([^\[\]]*?)\s*)?\]\]")


def _figures_in(text: str, inp: DecisionInput, resolve: Resolve | None) -> str:
    """A condition with each `[[entity/figure]]` replaced by the figure's number, so a boundary the
    review gives is written once, as the figure, and moves when it does."""

    def number(match: re.Match[str]) -> str:
        if resolve is None:
            raise ValueError(f"`{match.group(0)}`: figures cannot be used in this condition")
        end = match.group(2)
        if end is not None and end not in ("low", "high"):
            raise ValueError(
                f"`{match.group(0)}`: after `|` a condition takes `low` or `high`, the end of a range figure"
            )
        found = resolve(match.group(1), end)
        if isinstance(found, str):
            raise ValueError(found)
        value, unit = found
        if inp.unit is not None and unit != inp.unit:
            raise ValueError(f"`{match.group(0)}` is in {unit}, but input `{inp.id}` is in {inp.unit}")
        return repr(float(value))

    return _FIGURE.sub(number, text) if "[[" in text else text


def parse_condition(inp: DecisionInput, raw: Any, resolve: Resolve | None = None) -> Any:
    """None for "any", else a frozenset (enum), a bool or an Interval. Raises ValueError.
    A numeric condition may name figures of the data (`"<= [[trial/age-limit]]"`)."""
    if raw == "-" or raw is None:
        return None
    if inp.type == "boolean":
        if not isinstance(raw, bool):
            raise ValueError(f"input `{inp.id}` is true/false; write true, false or -")
        return raw
    if inp.type == "enum":
        values = [str(v) for v in (raw if isinstance(raw, list) else [raw])]
        unknown = [v for v in values if v not in inp.values]
        if unknown:
            raise ValueError(f"`{unknown[0]}` is not a value of input `{inp.id}` ({', '.join(inp.values)})")
        return frozenset(values)
    assert inp.min is not None and inp.max is not None
    if isinstance(raw, bool | list):
        raise ValueError(f"input `{inp.id}` is a number; write e.g. '< 30', '>= 60' or '[30..60)'")
    written = str(raw).strip()
    text = _figures_in(written, inp, resolve)
    if m := _INTERVAL.match(text):
        interval = Interval(float(m.group(2)), float(m.group(3)), m.group(1) == "[", m.group(4) == "]")
    elif m := _COMPARE.match(text):
        x, op = float(m.group(2)), m.group(1) or "="
        interval = {
            "<": Interval(inp.min, x, True, False),
            "<=": Interval(inp.min, x),
            ">": Interval(x, inp.max, False, True),
            ">=": Interval(x, inp.max),
            "=": Interval(x, x),
        }[op]
    else:
        raise ValueError(f"cannot read `{written}` as a condition on `{inp.id}`; write e.g. '< 30' or '[30..60)'")
    if interval.low < inp.min or interval.high > inp.max:
        raise ValueError(
            f"`{text}` reaches outside the domain of `{inp.id}` "
            f"({_fmt(inp.min)}–{_fmt(inp.max)}{' ' + inp.unit if inp.unit else ''})"
        )
    if interval.empty():
        raise ValueError(f"`{text}` contains no value")
    return interval


def compile_table(table: DecisionTable, resolve: Resolve | None = None) -> Compiled:
    compiled = Compiled(table)
    inputs = compiled.inputs
    outputs = {o.id for o in table.outputs}
    for r, rule in enumerate(table.rules):
        conds: dict[str, Any] = {}
        for name, raw in rule.when.items():
            if name not in inputs:
                compiled.problems.append(
                    (("rules", r, "when", name), f"rule `{rule.id}` tests `{name}`, which is not an input of the table")
                )
                continue
            try:
                cond = parse_condition(inputs[name], raw, resolve)
            except ValueError as err:
                compiled.problems.append((("rules", r, "when", name), f"rule `{rule.id}`: {err}"))
                continue
            if cond is not None:
                conds[name] = cond
        compiled.conditions.append(conds)
        for name in rule.then:
            if name not in outputs:
                compiled.problems.append(
                    (("rules", r, "then", name), f"rule `{rule.id}` sets `{name}`, which is not an output")
                )
        for name in sorted(outputs - set(rule.then)):
            compiled.problems.append((("rules", r, "then"), f"rule `{rule.id}` gives no `{name}`; write - if none"))
        if table.hit_policy == "priority" and rule.priority is None:
            compiled.problems.append((("rules", r), f"rule `{rule.id}` needs a `priority` (the table's hit policy)"))
    for kind, items in (("rules", table.rules), ("inputs", table.inputs), ("outputs", table.outputs)):
        for index, count in Counter(i.id for i in items).items():
            if count > 1:
                where = next(n for n, i in enumerate(items) if i.id == index)
                compiled.problems.append(((kind, where, "id"), f"{kind[:-1]} id `{index}` is used twice"))
    return compiled


def cells(inp: DecisionInput, compiled: Compiled) -> list[Any]:
    """One representative value per cell of the input's domain."""
    if inp.type == "boolean":
        return [False, True]
    if inp.type == "enum":
        return list(inp.values)
    assert inp.min is not None and inp.max is not None
    cuts = {inp.min, inp.max}
    for conds in compiled.conditions:
        cond = conds.get(inp.id)
        if isinstance(cond, Interval):
            cuts |= {cond.low, cond.high}
    points = sorted(cuts)
    reps: list[Any] = []
    for a, b in itertools.pairwise(points):
        reps += [a, a / 2 + b / 2]  # not (a + b) / 2, which overflows to infinity near the largest floats
    return [*reps, points[-1]]


def describe(case: dict[str, Any], table: DecisionTable) -> str:
    parts = []
    for inp in table.inputs:
        value = case[inp.id]
        if inp.type == "boolean":
            parts.append(f"{inp.id}={'true' if value else 'false'}")
        elif inp.type == "number":
            parts.append(f"{inp.id}={_fmt(value)}{' ' + inp.unit if inp.unit else ''}")
        else:
            parts.append(f"{inp.id}={value}")
    return ", ".join(parts)


@dataclass
class Report:
    """What the verifier found about a table, and the table compiled once for everything after."""

    cases: int
    gaps: int
    complete: bool
    problems: list[tuple[Loc, str]]
    witnesses: dict[str, dict[str, Any]]  # rule id -> a case where that rule applies
    compiled: Compiled | None = None

    def badge(self, table: DecisionTable) -> str:
        checks = (
            "no overlaps"
            if table.hit_policy == "unique"
            else ("overlapping rules agree" if table.hit_policy == "any" else "no shadowed rules")
        )
        coverage = "complete" if self.complete else f"partial by design, {self.gaps} uncovered"
        return f"Verified at build time: {coverage}, {checks}, {self.cases:,} cases checked"

    def summary(self, table: DecisionTable) -> str:
        """What the check means, in a sentence for the educators' note under a table."""
        policy = {
            "unique": "no two rules fit the same case",
            "any": "where rules overlap they give the same answer",
            "first": "the first rule that fits applies, and each rule applies to some case",
            "priority": "where rules overlap the one with the highest priority applies",
        }[table.hit_policy]
        gaps = "every case has a rule" if self.complete else f"{self.gaps:,} cases are left open on purpose"
        return (
            f"{self.badge(table)}. Each input's range was cut at every rule's boundary and every combination "
            f"tried: {gaps}; {policy} (DMN hit policy “{table.hit_policy}”)."
        )


def case_from(table: DecisionTable, given: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str | None, str]]]:
    """The case a worked example or a quiz check describes: (case, problems), each problem
    (what: missing / bad / extra, input id, message)."""
    case: dict[str, Any] = {}
    problems: list[tuple[str, str | None, str]] = []
    inputs = {i.id for i in table.inputs}
    for inp in table.inputs:
        if inp.id not in given:
            problems.append(("missing", inp.id, f"gives no value for `{inp.id}`"))
            continue
        raw = given[inp.id]
        try:
            cond = parse_condition(inp, raw if inp.type != "number" else f"={raw}")
        except ValueError as err:
            problems.append(("bad", inp.id, str(err)))
            continue
        case[inp.id] = (
            next(iter(cond)) if isinstance(cond, frozenset) else (cond.low if isinstance(cond, Interval) else cond)
        )
    for extra in sorted(set(given) - inputs):
        problems.append(("extra", extra, f"sets `{extra}`, not an input of table `{table.id}`"))
    return case, problems


def verify(table: DecisionTable, resolve: Resolve | None = None) -> Report:
    """Check a table over its whole input space; problems are (location in the table, message).
    `resolve` turns `[[entity/figure]]` in numeric conditions into the figure's number."""
    compiled = compile_table(table, resolve)
    report = Report(0, 0, False, list(compiled.problems), {}, compiled)
    if report.problems:
        return report
    axes = [cells(inp, compiled) for inp in table.inputs]
    total = math.prod(len(a) for a in axes)
    if total > MAX_CASES:
        report.problems.append(
            ((), f"decision table `{table.id}` has {total:,} cases, more than the {MAX_CASES:,} the verifier checks")
        )
        return report
    tally = _Tally(len(table.rules))
    for combo in itertools.product(*axes):
        case = dict(zip((i.id for i in table.inputs), combo, strict=True))
        _check_case(table, compiled, case, report, tally)
    _check_coverage(table, report, tally)
    _check_rules(table, report, tally)
    _check_examples(table, compiled, report)
    report.complete = report.gaps == 0
    return report


@dataclass
class _Tally:
    """What the cases showed about each rule (by index)."""

    rules: int
    matched: Counter = field(default_factory=Counter)
    won: Counter = field(default_factory=Counter)
    beaten_by: dict[int, Counter] = field(default_factory=dict)
    also: dict[int, set[int] | None] = field(default_factory=dict)
    first_gap: dict[str, Any] | None = None
    reported: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.beaten_by = {i: Counter() for i in range(self.rules)}
        self.also = dict.fromkeys(range(self.rules))


_WHY_OVERLAP = {
    "unique": "overlap (hit policy unique)",
    "any": "overlap and disagree (hit policy any)",
    "priority": "overlap with equal priority but different outputs",
}


def _check_case(table: DecisionTable, compiled: Compiled, case: dict[str, Any], report: Report, tally: _Tally) -> None:
    """One case: which rules match, which applies, and any overlap the hit policy forbids."""
    rules = table.rules
    report.cases += 1
    hits, winner = compiled.decide(case)
    if winner is None:
        report.gaps += 1
        tally.first_gap = tally.first_gap or case
        return
    report.witnesses.setdefault(rules[winner].id, case)
    tally.won[winner] += 1
    for h in hits:
        tally.matched[h] += 1
        others = set(hits) - {h}
        tally.also[h] = others if tally.also[h] is None else tally.also[h] & others  # type: ignore[operator]
        if h != winner:
            tally.beaten_by[h][winner] += 1
    policy = table.hit_policy
    for a, b in itertools.combinations(hits, 2):
        if (a, b) in tally.reported:
            continue
        same = rules[a].then == rules[b].then
        tie = policy == "priority" and rules[a].priority == rules[b].priority and not same
        if policy == "unique" or (policy == "any" and not same) or tie:
            tally.reported.add((a, b))
            report.problems.append(
                (
                    ("rules", b),
                    f"decision table `{table.id}`: rules `{rules[a].id}` and `{rules[b].id}` {_WHY_OVERLAP[policy]}, "
                    f"e.g. {describe(case, table)}",
                )
            )


def _check_coverage(table: DecisionTable, report: Report, tally: _Tally) -> None:
    if report.gaps and not table.partial and tally.first_gap is not None:
        report.problems.append(
            (
                (),
                f"decision table `{table.id}` leaves {report.gaps} case(s) uncovered, e.g. "
                f"{describe(tally.first_gap, table)}; add a rule (say 'not addressed by the review' where the "
                "source is silent) or declare the table `partial` with a reason",
            )
        )


def _check_rules(table: DecisionTable, report: Report, tally: _Tally) -> None:
    """Rules that can never apply, or (hit policy any) that another rule always covers."""
    rules = table.rules
    name = f"decision table `{table.id}`"
    for i, rule in enumerate(rules):
        also = tally.also[i]
        if tally.matched[i] == 0 and tally.won[i] == 0:
            report.problems.append(
                (
                    ("rules", i),
                    f"{name}: rule `{rule.id}` can never apply: no case satisfies all its conditions together",
                )
            )
        elif table.hit_policy == "any" and also:
            report.problems.append(
                (
                    ("rules", i),
                    f"{name}: rule `{rule.id}` is subsumed by rule `{rules[min(also)].id}`: "
                    "every case it matches, that rule matches too",
                )
            )
        elif tally.won[i] == 0 and table.hit_policy != "any":
            winner = tally.beaten_by[i].most_common(1)[0][0]
            report.problems.append(
                (
                    ("rules", i),
                    f"{name}: rule `{rule.id}` never applies: it is shadowed by rule "
                    f"`{rules[winner].id}` (hit policy {table.hit_policy})",
                )
            )


def _check_examples(table: DecisionTable, compiled: Compiled, report: Report) -> None:
    """Every worked example lands on the rule it names."""
    name = f"decision table `{table.id}`"
    for e, example in enumerate(table.examples):
        case, problems = case_from(table, example.given)
        for what, key, message in problems:
            where = ("examples", e, "given") if what == "missing" else ("examples", e, "given", key or "")
            report.problems.append(
                (
                    where,
                    f"{name}: example {e + 1} {message}" if what != "bad" else f"{name}: example {e + 1}: {message}",
                )
            )
        if problems:
            continue
        _, winner = compiled.decide(case)
        got = table.rules[winner].id if winner is not None else None
        if got != example.expect:
            report.problems.append(
                (
                    ("examples", e, "expect"),
                    f"{name}: example {e + 1} ({describe(case, table)}) expects "
                    f"rule `{example.expect}` but {f'rule `{got}`' if got else 'no rule'} applies",
                )
            )


def condition_text(rule: DecisionRule, inp: DecisionInput, compiled: Compiled, index: int) -> str:
    """How a rule's condition on one input reads in the table: '3', '1 or 2', '≥30 and <60 mL/min', 'any'."""
    cond = compiled.conditions[index].get(inp.id)
    if cond is None:
        return "any"
    if isinstance(cond, bool):
        return "yes" if cond else "no"
    if isinstance(cond, frozenset):
        ordered = [v for v in inp.values if v in cond]
        return ordered[0] if len(ordered) == 1 else ", ".join(ordered[:-1]) + " or " + ordered[-1]
    return cond.text(inp.unit, inp.min, inp.max)


def to_json(compiled: Compiled, outputs: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The verified table as the widget reads it; `outputs` are the rendered output texts per rule."""
    table = compiled.table

    def cond_json(cond: Any) -> Any:
        if isinstance(cond, Interval):
            return {"low": cond.low, "high": cond.high, "lowClosed": cond.low_closed, "highClosed": cond.high_closed}
        if isinstance(cond, frozenset):
            return {"in": sorted(cond)}
        return {"is": cond}

    return {
        "id": table.id,
        "policy": table.hit_policy,
        "inputs": [
            {k: v for k, v in i.model_dump().items() if v not in (None, [])}
            | ({"cells": cells(i, compiled)} if i.type == "number" else {})
            for i in table.inputs
        ],
        "outputs": [o.model_dump() for o in table.outputs],
        "rules": [
            {
                "id": rule.id,
                "priority": rule.priority,
                "when": {k: cond_json(v) for k, v in sorted(conds.items())},
                "then": outputs[rule.id],
            }
            for rule, conds in zip(table.rules, compiled.conditions, strict=True)
        ],
    }
