"""Checks across the items of one review: links and citations, decision tables, quizzes, and the
fidelity checks (evidence, figures typed by hand, qualifiers said twice, answer positions).

Each check adds `Problem`s; lines are looked up only for a problem (finding them costs a second
parse of the file).
"""

from __future__ import annotations

import difflib
import functools
import re
import typing
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from . import fidelity, markup
from . import quiz as quizzes
from .decisions import verify
from .knowledge import KnowledgeBase, Loc, Origin, field_markers, is_aspect, is_refs, is_setting, walk
from .problems import Problem
from .schema import Aspect, Evidence, Value


def check(kb: KnowledgeBase, parsed: list, problems: list[Problem], sources: Path | None) -> None:
    """Every cross-check of one review, in the order their problems read best."""
    check_links(kb, parsed, problems)
    check_tables(kb, parsed, problems)
    check_quizzes(kb, parsed, problems)
    check_fidelity(kb, parsed, problems, sources)


def _figures_by_owner(kb: KnowledgeBase) -> dict[str, dict[str, Value]]:
    owners: dict[str, dict[str, Value]] = defaultdict(dict)
    for target, found in kb.targets.items():
        if "/" in target and isinstance(found.value, Value):
            owners[target.split("/", 1)[0]][target] = found.value
    return owners


def _related_figures(kb: KnowledgeBase, model: BaseModel, figures: dict[str, dict[str, Value]]) -> dict[str, Value]:
    """The figures of the item itself and of every entity it links to, names or tests."""
    owners = {getattr(model, "id", "")}
    for text in fidelity.texts(model):
        if text in kb.targets:
            owners.add(text)
        for target, _label in markup.links_in(text):
            owners.add(target.split("/", 1)[0])
    return {target: value for owner in owners for target, value in figures.get(owner, {}).items()}


def _prose_problems(
    kb: KnowledgeBase, text: str, related: dict[str, Value] | None, origin: Origin, here: Loc
) -> list[Problem]:
    """Figures typed by hand and qualifiers or units said twice, each at the line it is on."""
    found = []
    line = None
    for message in [
        *(fidelity.copy_problems(text, related) if related else ()),
        *fidelity.doubled_problems(text, kb.targets),
    ]:
        if line is None:
            path, line = origin.at(*here)
        needle = message.split("`")[1].split(" [[")[0] if "`" in message else ""
        found.append(Problem(path, origin.doc.find_line(line, needle) if needle else line, message))
    return found


def check_links(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    aspects = {a.id for a in kb.review.comparison}
    settings = {s.id for s in getattr(kb.review, "settings", [])}
    figures = _figures_by_owner(kb)
    for kind, model, origin in parsed:
        if kind == "references":
            continue
        related = None if kind in ("review", "glossary") else _related_figures(kb, model, figures)
        page = "index.md" if kind in ("review", "glossary") else kb.page_of(kind, model.id)
        for sub, loc in walk(model, ()):
            for name in type(sub).model_fields:
                value = getattr(sub, name)
                if value is None:
                    continue
                here = (*loc, name)
                if is_refs(type(sub), name):
                    for i, number in enumerate(value):
                        if number not in kb.references:
                            problems.append(
                                Problem(
                                    *origin.at(*here, i),
                                    f"cites reference {number}, which is "
                                    f"not in the reference list (1-{len(kb.references)})",
                                )
                            )
                        else:
                            kb.cited_on[number].add(page)
                    continue
                if is_aspect(type(sub), name) and value not in aspects and "*aspects*" not in kb.broken:
                    problems.append(
                        Problem(
                            *origin.at(*here),
                            f"unknown comparison aspect `{value}`; the review defines: {', '.join(sorted(aspects))}",
                        )
                    )
                    continue
                if is_setting(type(sub), name) and value not in settings and "*aspects*" not in kb.broken:
                    close = difflib.get_close_matches(value, sorted(settings), n=1)
                    hint = f"; did you mean `{close[0]}`?" if close else ""
                    problems.append(
                        Problem(
                            *origin.at(*here),
                            f"unknown setting `{value}`{hint} The review's `settings:` define: "
                            + (", ".join(sorted(settings)) or "none yet"),
                        )
                    )
                    continue
                prose, kinds = field_markers(type(sub), name)
                if kinds:
                    for i, target in enumerate(value if isinstance(value, list) else [value]):
                        spot = (*here, i) if isinstance(value, list) else here
                        _check_target(kb, target, kinds, page, origin, spot, problems)
                if prose and isinstance(value, str):
                    for target, _label in markup.links_in(value):
                        _check_target(kb, target, ("*", "/"), page, origin, here, problems, in_prose=True)
                    for message in markup.link_problems(value):
                        problems.append(Problem(*origin.at(*here), message))
                if (
                    isinstance(value, str) and name != "id" and not isinstance(sub, Evidence)
                ):  # labels too; quotes are verbatim
                    problems.extend(_prose_problems(kb, value, related, origin, here))


def _check_target(
    kb: KnowledgeBase,
    target: str,
    kinds: tuple[str, ...],
    page: str,
    origin: Origin,
    loc: Loc,
    problems: list[Problem],
    in_prose: bool = False,
) -> None:
    """Check one reference written at `loc`; for a [[link]] in prose, report the line of the link itself.
    Lines are looked up only for a problem: finding them costs a second parse of the file."""
    if target.split("/")[0] in kb.broken:
        return
    found = kb.targets.get(target)
    ok = found is not None and (
        "*" in kinds and ("/" in kinds or "/" not in target) or any(target in kb.entities[k] for k in kinds)
    )
    if not ok:
        want = "an entity or overview page" if "*" in kinds else " or ".join(kinds).replace("_", " ")
        pool = (
            [t for t in kb.targets if ("/" in t) == ("/" in target)]
            if "*" in kinds
            else [i for k in kinds for i in kb.entities[k]]
        )
        close = difflib.get_close_matches(target, pool, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
        owner = target.split("/")[0]
        if not close and "/" in target and owner in kb.targets:
            items = sorted(t.split("/", 1)[1] for t in kb.targets if t.startswith(owner + "/"))
            hint = f"; `{owner}` has: {', '.join(items[:12])}" if items else f"; `{owner}` has no figures"
        path, line = origin.at(*loc)
        if in_prose:
            line = origin.doc.find_line(line, "[[" + target)
        problems.append(Problem(path, line, f"`{target}` is not the id of {want}{hint}"))
        return
    if found.page != page:
        kb.linked_from[found.page].add(page)


#: A number in a condition, "< 30" or an interval's "(50..100]" alike (not a digit of another number).
_BOUNDARY = re.compile(r"(?<![\w])(?<!\d\.)(\d+(?:\.\d+)?)(?![\w])(?!\.\d)")


def _boundary_problems(table: BaseModel, rule: BaseModel, related: dict[str, Value], origin: Origin, loc: Loc) -> list:
    """Numeric conditions that type a figure of a related entity instead of naming it with [[...]]."""
    found = []
    inputs = {i.id: i for i in table.inputs}  # type: ignore[attr-defined]
    for name, raw in rule.when.items():  # type: ignore[attr-defined]
        inp = inputs.get(name)
        if inp is None or inp.type != "number" or inp.unit is None or not isinstance(raw, str | int | float):
            continue
        text = markup.LINK.sub(" ", str(raw))
        for match in _BOUNDARY.finditer(text):
            number = float(match.group(1))
            same = sorted(t for t, v in related.items() if v.unit == inp.unit and v.value == number)
            same += sorted(  # the ends of ranges
                f"{t}|{end}"
                for t, v in related.items()
                for end in ("low", "high")
                if v.unit == inp.unit and v.value is None and getattr(v, end) == number
            )
            if same:
                found.append(
                    Problem(
                        *origin.at(*loc, name),
                        f"rule `{rule.id}`: the boundary {match.group(1)} {inp.unit} is the figure [[{same[0]}]]; "  # type: ignore[attr-defined]
                        f"write `{str(raw).replace(match.group(1), f'[[{same[0]}]]', 1)}` so the rule moves with it",
                    )
                )
    return found


def _figure_number(kb: KnowledgeBase, target: str, end: str | None = None) -> tuple[float, str] | str:
    """A figure's number and unit for a decision-table boundary (`end`: 'low' or 'high' of a range);
    a message when there is none."""
    found = kb.targets.get(target)
    value = getattr(found, "value", None)
    if not isinstance(value, Value):
        close = difflib.get_close_matches(target, [t for t in kb.targets if "/" in t], n=1)
        return f"`[[{target}]]` is not a figure of the data" + (f"; did you mean `{close[0]}`?" if close else "")
    if value.value is None:
        if end is None:
            return f"`[[{target}]]` is a range; name one end: `[[{target}|low]]` or `[[{target}|high]]`"
        assert value.low is not None and value.high is not None
        return (value.low if end == "low" else value.high), value.unit
    if end is not None:
        return f"`[[{target}|{end}]]`: `[[{target}]]` is one number, not a range; write `[[{target}]]`"
    return value.value, value.unit


def check_tables(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    for kind, table, origin in parsed:
        if kind != "decision_tables":
            continue
        report = verify(table, functools.partial(_figure_number, kb))
        kb.reports[table.id] = report
        if report.compiled is not None:
            kb.compiled[table.id] = report.compiled
        problems.extend(Problem(*origin.at(*loc), message) for loc, message in report.problems)
        page = kb.page_of(kind, table.id)
        related = _related_figures(kb, table, _figures_by_owner(kb))
        # a boundary is compared with the figures the table itself names, not every figure of the
        # entities it links (a bag's 8-day shelf life is not the day-8 step of the schedule)
        mentioned = {t for text in fidelity.texts(table) for t, _ in markup.links_in(text)}
        named = {t: v for t, v in related.items() if t in mentioned}
        for r, rule in enumerate(table.rules):
            for name, text in rule.then.items():
                for target, _label in markup.links_in(text):
                    _check_target(kb, target, ("*", "/"), page, origin, ("rules", r, "then", name), problems)
                problems.extend(_prose_problems(kb, text, related, origin, ("rules", r, "then", name)))
            problems.extend(_boundary_problems(table, rule, named, origin, ("rules", r, "when")))
        for target in table.about:
            found = kb.targets.get(target)
            if found is not None:  # the page the table serves links to it
                kb.linked_from[page].add(found.page)


def check_quizzes(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for kind, quiz, origin in parsed:
        if kind != "quizzes":
            continue
        problems.extend(Problem(*origin.at(*loc), message) for loc, message in quizzes.check(kb, quiz))
        spots = [(("questions", i), q) for i, q in enumerate(quiz.questions)]
        spots += [
            (("vignettes", v, "questions", i), q)
            for v, vig in enumerate(quiz.vignettes)
            for i, q in enumerate(vig.questions)
        ]
        for loc, question in spots:
            if question.id in seen and seen[question.id] != quiz.id:
                problems.append(
                    Problem(
                        *origin.at(*loc, "id"),
                        f"question id `{question.id}` is also used in "
                        f"`{seen[question.id]}`; question ids key saved progress, keep them unique",
                    )
                )
            seen.setdefault(question.id, quiz.id)


@functools.cache
def _rests_on_evidence(model: type) -> bool:
    """Whether items of this model carry an `evidence: Evidence` (the review's words they rest on)."""
    info = model.model_fields.get("evidence")
    return info is not None and Evidence in typing.get_args(info.annotation)


_KIND_NAMES = {
    "DecisionRule": "rule",
    "ManagementStep": "management step",
    "Aspect": "the comparison row",
    "Regimen": "regimen",
    "Question": "question",
}


def _actionable(kb: KnowledgeBase, parsed: list) -> list[tuple[Origin, list[tuple[str, Loc, BaseModel]]]]:
    """What must rest on the review's words: every item with an `evidence` field, except comparison
    rows of aspects the review does not mark as advice."""
    advice = {a.id for a in kb.review.comparison if a.evidence}
    found = []
    for kind, model, origin in parsed:
        if kind == "review":
            continue
        items = []
        for sub, loc in walk(model, ()):
            if not _rests_on_evidence(type(sub)):
                continue
            if isinstance(sub, Aspect) and sub.aspect not in advice:
                continue
            name = getattr(sub, "id", None) or getattr(sub, "aspect", "")
            what = f"{_KIND_NAMES.get(type(sub).__name__, type(sub).__name__.lower())} `{name}`"
            items.append((what, loc, sub))
        if items:
            found.append((origin, items))
    return found


def _source_text(kb: KnowledgeBase, sources: Path | None, problems: list[Problem]) -> fidelity.SourceText | None:
    """The review's text where it is beside the project (None: quotes are not checked in this build)."""
    source = getattr(kb.review, "source", None)  # a review that failed validation has none
    name = source.text if source is not None else None
    kb.source_checked = False
    if not name or sources is None or not (sources / name).is_file():
        return None
    text, missing = fidelity.SourceText.read(sources / name, kb.review.source.sections)
    if missing and kb.origin is not None:
        problems.append(
            Problem(
                *kb.origin.at("source", "sections"),
                f"section heading(s) not found as a line of {name}: {', '.join(missing)}; copy them as printed",
            )
        )
    kb.source_checked = True
    return text


def check_fidelity(kb: KnowledgeBase, parsed: list, problems: list[Problem], sources: Path | None) -> None:
    source = _source_text(kb, sources, problems)
    sections = kb.review.source.sections if getattr(kb.review, "source", None) is not None else []
    for origin, items in _actionable(kb, parsed):
        for loc, message in fidelity.evidence_problems(items, sections, source):
            problems.append(Problem(*origin.at(*loc), message))
    for kind, quiz, origin in parsed:
        if kind == "quizzes":
            for message in fidelity.position_problems(quiz):
                problems.append(Problem(*origin.at("id"), message))
