"""Quiz questions: checks against the knowledge base, the answer key the page's script reads,
and a content version for saved progress. Exports of the question bank are in generator/export/."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .decisions import compile_table, parse_condition
from .schema import UNITS, NumericAnswer, Question, Quiz, Value

Loc = tuple[str | int, ...]


def normalise(text: str) -> str:
    """How short answers are compared: case and spacing ignored."""
    return " ".join(text.casefold().split())


def numeric_answer(kb: Any, answer: NumericAnswer) -> tuple[float, str, float, float]:
    """(value, unit, lowest accepted, highest accepted). Raises ValueError on a bad figure."""
    if answer.figure is not None:
        target = kb.targets.get(answer.figure)
        value = target.value if target is not None else None
        if not isinstance(value, Value):
            raise ValueError(f"`{answer.figure}` is not a figure in the data")
        if value.value is None:
            raise ValueError(f"`{answer.figure}` is a range; a numeric answer needs a single value")
        number, unit = value.value, value.unit
        if answer.unit is not None and answer.unit != unit:
            raise ValueError(f"`{answer.figure}` is in {unit}, not {answer.unit}")
    else:
        assert answer.value is not None and answer.unit is not None
        number, unit = answer.value, answer.unit
    if answer.low is not None and answer.high is not None:
        if not answer.low <= number <= answer.high:
            raise ValueError(
                f"the answer {number:g} lies outside its own accepted range {answer.low:g}–{answer.high:g}"
            )
        return number, unit, answer.low, answer.high
    tolerance = answer.tolerance or 0.0
    return number, unit, number - tolerance, number + tolerance


def check(kb: Any, quiz: Quiz) -> list[tuple[Loc, str]]:
    """Problems in one module that only the whole knowledge base can see."""
    problems: list[tuple[Loc, str]] = []
    tables = {t.id: t for t in kb.items("decision_tables")}
    spots: list[tuple[Loc, Question]] = [(("questions", i), q) for i, q in enumerate(quiz.questions)]
    for v, vignette in enumerate(quiz.vignettes):
        spots += [(("vignettes", v, "questions", i), q) for i, q in enumerate(vignette.questions)]
    for loc, q in spots:
        owner = (q.answer.figure or "").split("/")[0] if q.answer is not None else ""
        if owner in kb.broken:
            continue  # that entity's own problem is reported already
        if q.answer is not None:
            try:
                numeric_answer(kb, q.answer)
            except ValueError as err:
                problems.append(((*loc, "answer"), f"question `{q.id}`: {err}"))
        if q.check is None:
            continue
        table = tables.get(q.check.table)
        if table is None:
            continue  # reported as an unknown id
        inputs = {i.id: i for i in table.inputs}
        case: dict[str, Any] = {}
        for name, inp in inputs.items():
            if name not in q.check.given:
                problems.append(((*loc, "check", "given"), f"question `{q.id}`: the check gives no `{name}`"))
                continue
            raw = q.check.given[name]
            try:
                cond = parse_condition(inp, raw if inp.type != "number" else f"={raw}")
            except ValueError as err:
                problems.append(((*loc, "check", "given", name), f"question `{q.id}`: {err}"))
                continue
            case[name] = next(iter(cond)) if isinstance(cond, frozenset) else getattr(cond, "low", cond)
        for extra in sorted(set(q.check.given) - set(inputs)):
            problems.append(
                ((*loc, "check", "given", extra), f"question `{q.id}`: `{extra}` is not an input of table `{table.id}`")
            )
        if len(case) != len(inputs):
            continue
        rule_ids = {r.id for r in table.rules}
        for o, option in enumerate(q.options):
            if option.rule is not None and option.rule not in rule_ids:
                problems.append(
                    (
                        (*loc, "options", o, "rule"),
                        f"question `{q.id}`: `{option.rule}` is not a rule of table `{table.id}`",
                    )
                )
        _, winner = compile_table(table).decide(case)
        expected = table.rules[winner].id if winner is not None else None
        should = {o.id for o in q.options if o.rule == expected and expected is not None}
        marked = {o.id for o in q.options if o.correct}
        if should != marked:
            given = ", ".join(f"{k}={v}" for k, v in q.check.given.items())
            problems.append(
                (
                    (*loc, "options"),
                    f"question `{q.id}` disagrees with decision table `{table.id}`: for "
                    f"{given} the table applies rule `{expected}`, so the correct option(s) should be "
                    f"{sorted(should) or 'none (no option states that rule)'}, not {sorted(marked)}",
                )
            )
    return problems


def key(kb: Any, q: Question, text: Any) -> dict[str, Any]:
    """What the page's script needs to mark an answer; `text` renders option/feedback text."""
    data: dict[str, Any] = {"type": q.type}
    if q.options:
        data["options"] = [
            {"id": o.id, "correct": o.correct, "feedback": text(o.feedback) if o.feedback else ""} for o in q.options
        ]
    if q.answer is not None:
        value, unit, low, high = numeric_answer(kb, q.answer)
        aliases = sorted({unit, *UNITS.get(unit, ())}, key=lambda u: (u.casefold(), u))
        data["answer"] = {"value": value, "unit": unit, "units": aliases, "low": low, "high": high}
    if q.accept:
        data["accept"] = sorted({normalise(a) for a in q.accept})
    return data


def version(kb: Any, q: Question) -> str:
    """Changes whenever the question, or a figure its answer is taken from, changes."""
    content = q.model_dump(mode="json")
    if q.answer is not None:
        content["resolved"] = list(numeric_answer(kb, q.answer))
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return digest[:12]
