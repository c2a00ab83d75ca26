"""Quiz questions: checks against the knowledge base, the answer key the page's script reads,
and a content version for saved progress. Exports of the question bank are in generator/export/."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

from .decisions import case_from, compile_table
from .loader import Loc
from .schema import UNITS, NumericAnswer, Question, Quiz, Value


def normalise(text: str) -> str:
    """How short answers are compared: compatibility forms unified, case folded, spacing collapsed
    (kb-core.js's `normalise` does the same in the browser)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


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
                kb.answers[q.id] = numeric_answer(kb, q.answer)
            except ValueError as err:
                problems.append(((*loc, "answer"), f"question `{q.id}`: {err}"))
        if q.check is None:
            continue
        table = tables.get(q.check.table)
        if table is None:
            continue  # reported as an unknown id
        case, wrong = case_from(table, q.check.given)
        for what, key, message in wrong:
            where = (*loc, "check", "given") if what == "missing" else (*loc, "check", "given", key or "")
            problems.append((where, f"question `{q.id}`: {'the check ' if what != 'bad' else ''}{message}"))
        if wrong:
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
        _, winner = (kb.compiled.get(table.id) or compile_table(table)).decide(case)
        expected = table.rules[winner].id if winner is not None else None
        should = {o.id for o in q.options if o.rule == expected and expected is not None}
        marked = {o.id for o in q.options if o.correct}
        if should != marked:
            given = ", ".join(_given_text(table, name, value) for name, value in q.check.given.items())
            stated = sorted(should)
            problems.append(
                (
                    (*loc, "options"),
                    f"question `{q.id}` disagrees with decision table `{table.id}`: for {given}, the table applies "
                    + (f"rule `{expected}`" if expected else "no rule")
                    + (
                        f", which option {' and '.join(f'`{o}`' for o in stated)} states; mark "
                        f"{'it' if len(stated) == 1 else 'them'} correct instead of "
                        if stated
                        else ", which no option states (give each option its `rule:`); the options marked correct: "
                    )
                    + " and ".join(f"`{o}`" for o in sorted(marked)),
                )
            )
    return problems


def _given_text(table: Any, name: str, value: Any) -> str:
    """An input of a check as an educator reads it: `Haemodialysis: no`, `Grade: 3`."""
    label = next((i.label for i in table.inputs if i.id == name), name)
    shown = ("yes" if value else "no") if isinstance(value, bool) else value
    return f"{label}: {shown}"


def key(kb: Any, q: Question, text: Any) -> dict[str, Any]:
    """What the page's script needs to mark an answer; `text` renders option/feedback text."""
    data: dict[str, Any] = {"type": q.type}
    if q.options:
        data["options"] = [
            {"id": o.id, "correct": o.correct, "feedback": text(o.feedback) if o.feedback else ""} for o in q.options
        ]
    if q.answer is not None:
        value, unit, low, high = kb.answers[q.id]
        aliases = sorted({unit, *UNITS.get(unit, ())}, key=lambda u: (u.casefold(), u))
        data["answer"] = {"value": value, "unit": unit, "units": aliases, "low": low, "high": high}
    if q.accept:
        data["accept"] = sorted({normalise(a) for a in q.accept})
    return data


def version(kb: Any, q: Question) -> str:
    """Changes whenever the question, or a figure its answer is taken from, changes."""
    content = q.model_dump(mode="json")
    if q.answer is not None:
        content["resolved"] = list(kb.answers[q.id])
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return digest[:12]
