"""The knowledge base: every YAML file of a review validated, cross-references resolved.

`load_site(data_dir)` returns one `KnowledgeBase` per review folder under data/, or raises
`DataError` listing every problem found, each as `path:LINE: message`.
"""

from __future__ import annotations

import difflib
import functools
import re
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import fidelity, markup
from . import quiz as quizzes
from .decisions import Report, verify
from .loader import Document, Loc, load
from .problems import DataError, Problem
from .schema import COLLECTIONS, Aspect, Evidence, IsProse, Points, QuizOption, Reference, Review, Term, Value

#: Collections that get one page per item, and the folder of those pages.
SECTIONS: dict[str, str] = {
    "topics": "background",
    "therapies": "therapies",
    "pharmacology": "pharmacology",
    "adverse_reactions": "adverse-reactions",
    "trials": "trials",
    "indications": "indications",
    "open_questions": "open-questions",
    "decision_tables": "decisions",
    "quizzes": "quizzes",
}
#: Overview pages that prose may link to by these ids, with their titles.
OVERVIEWS: dict[str, tuple[str, str]] = {
    "home": ("index.md", "Overview and learning path"),
    "background": ("background/index.md", "Background"),
    "therapies": ("therapies/index.md", "Therapies"),
    "pharmacology": ("pharmacology/index.md", "Pharmacology and administration"),
    "adverse-reactions": ("adverse-reactions/index.md", "Adverse reactions"),
    "trials": ("trials/index.md", "Trials"),
    "indications": ("indications/index.md", "Indications"),
    "comparison": ("comparison.md", "Comparison of therapies"),
    "open-questions": ("open-questions/index.md", "Open questions"),
    "decisions": ("decisions/index.md", "Decision tables"),
    "quizzes": ("quizzes/index.md", "Test yourself"),
    "answer-key": ("quizzes/answer-key.md", "Answer key for educators"),
    "references": ("references.md", "References"),
    "glossary": ("glossary.md", "Glossary"),
}
_OVERVIEW_PAGES = {page for page, _ in OVERVIEWS.values()}
#: Items of one collection in one file: far above any real review (the first has 148 questions).
MAX_ITEMS = 2_000


@dataclass(frozen=True)
class Origin:
    """Where a piece of data was written: for messages and for nothing else."""

    doc: Document
    loc: Loc

    def at(self, *more: str | int) -> tuple[Path, int]:
        """(path, line) of a place inside this item, for a Problem."""
        return self.doc.path, self.doc.line_of((*self.loc, *more))


@dataclass(frozen=True)
class Target:
    """Something `[[...]]` can point at: a page, or an anchored item on a page."""

    page: str
    title: str
    anchor: str | None = None
    value: Any = None  # a schema.Value for figures


@dataclass
class KnowledgeBase:
    review: Review
    folder: Path
    entities: dict[str, dict[str, BaseModel]] = field(default_factory=lambda: defaultdict(dict))
    references: dict[int, Reference] = field(default_factory=dict)
    glossary: list[Term] = field(default_factory=list)
    targets: dict[str, Target] = field(default_factory=dict)
    #: page -> pages whose prose or fields link to it
    linked_from: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: reference number -> pages citing it
    cited_on: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: page -> title, filled in by the renderer
    page_titles: dict[str, str] = field(default_factory=dict)
    #: ids of items that failed validation: links to them are not reported a second time
    broken: dict[str, str] = field(default_factory=dict)
    #: decision table id -> what the verifier found
    reports: dict[str, Report] = field(default_factory=dict)
    #: where the `review:` mapping was written
    origin: Origin | None = None
    #: whether evidence quotes were checked against the review's text in this build
    source_checked: bool = False

    def page_of(self, kind: str, item_id: str) -> str:
        if kind == "safety_summaries":
            return "adverse-reactions/index.md"
        return f"{SECTIONS[kind]}/{item_id}.md"

    def items(self, kind: str) -> list[Any]:
        return list(self.entities[kind].values())


@functools.cache
def _field_markers(model: type, name: str) -> tuple[bool, tuple[str, ...]]:
    return _markers(model.model_fields[name])


def _markers(info: Any) -> tuple[bool, tuple[str, ...]]:
    """(is prose, kinds pointed at) for a pydantic field, looking through Optional and list."""
    found: list[Any] = list(info.metadata)
    stack = [info.annotation]
    while stack:
        tp = stack.pop()
        if typing.get_origin(tp) is typing.Annotated:
            found.extend(tp.__metadata__)
        stack.extend(typing.get_args(tp))
    kinds: tuple[str, ...] = ()
    for marker in found:
        if isinstance(marker, Points):
            kinds = marker.kinds
    return any(isinstance(m, IsProse) for m in found), kinds


def _walk(model: BaseModel, loc: Loc) -> Iterator[tuple[BaseModel, Loc]]:
    yield model, loc
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _walk(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, (*loc, name, index))


def _pydantic_problems(err: ValidationError, origin: Origin) -> list[Problem]:
    problems = []
    for detail in err.errors():
        loc = tuple(p for p in detail["loc"] if not (isinstance(p, str) and "[" in p))
        path, line = origin.at(*loc)
        where = ".".join(str(p) for p in loc)
        kind, msg = detail["type"], detail["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden":
            allowed = _allowed_fields(origin, loc)
            msg = f"unknown field `{loc[-1]}`" + (f"; allowed here: {allowed}" if allowed else "")
        elif kind == "missing":
            msg = f"missing required field `{loc[-1]}`"
        else:
            msg = f"`{where}`: {msg}" if where else msg
        problems.append(Problem(path, line, msg))
    return problems


def _allowed_fields(origin: Origin, loc: Loc) -> str:
    model: Any = COLLECTIONS[str(origin.loc[0])]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return ""
        nested = [a for a in _flatten(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            return ""
        model = nested[0]
    return ", ".join(model.model_fields)


def _flatten(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in typing.get_args(tp):
        yield from _flatten(arg)


YAML_SUFFIXES = (".yaml", ".yml")


def _ignored(name: str) -> bool:
    """Hidden files and folders, and editors' lock and backup files (`.#trials.yaml`, `trials.yaml~`)."""
    return name.startswith((".", "#")) or name.endswith("~")


def _shown(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else path


def data_files(folder: Path, root: Path, data_dir: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The YAML files of a review folder, in a stable order, and what is wrong with what is there.

    Links are followed only where they lead inside the data folder (`data_dir`); a link out of it, a
    broken link, or a loop of links is reported rather than read or silently skipped."""
    inside = (data_dir or folder.parent).resolve()
    found: list[Path] = []
    problems: list[Problem] = []

    def walk(directory: Path, above: tuple[Path, ...] = ()) -> None:
        real = directory.resolve()
        if real in above:
            problems.append(
                Problem(
                    _shown(directory, root), 1, "this folder links back into a folder that contains it; remove the link"
                )
            )
            return
        try:
            entries = sorted(directory.iterdir())
        except OSError as err:
            problems.append(Problem(_shown(directory, root), 1, f"cannot be read ({err.strerror or err})"))
            return
        for path in entries:
            if _ignored(path.name):
                continue
            yaml_name = path.suffix.lower() in YAML_SUFFIXES
            if path.is_symlink():
                target = path.resolve()
                if not target.exists():
                    if yaml_name:
                        found.append(path)  # the loader reports the broken link with its name
                    continue
                if not target.is_relative_to(inside):
                    problems.append(
                        Problem(
                            _shown(path, root),
                            1,
                            f"is a link to {target}, outside the data folder; copy the file into data/ instead",
                        )
                    )
                    continue
            if path.is_dir() and not yaml_name:
                walk(path, (*above, real))
            elif yaml_name:
                found.append(path)

    walk(folder)
    return found, problems


_WRITTEN_ID = re.compile(r"^[ \t-]*id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)", re.M)


def _salvage_ids(path: Path) -> set[str]:
    """Ids a file that failed to load seems to define, so that links to them are not reported as
    unknown on top of the file's own problem (one mistake, one message)."""
    try:
        return set(_WRITTEN_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    except (OSError, ValueError):
        return set()


def _documents(
    folder: Path, root: Path, data_dir: Path | None = None
) -> tuple[list[Document], list[Problem], set[str] | None]:
    """(documents, problems, ids the files that failed may define; None when every file loaded)."""
    docs = []
    salvaged: set[str] | None = None
    paths, problems = data_files(folder, root, data_dir)
    for path in paths:
        doc, found = load(path, _shown(path, root))
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
        elif path.is_file() and not path.is_symlink() or path.is_symlink() and path.exists():
            salvaged = (salvaged or set()) | _salvage_ids(path)
        else:
            salvaged = salvaged or set()
    return docs, problems, salvaged


def load_review(
    folder: Path, root: Path | None = None, data_dir: Path | None = None, sources: Path | None = None
) -> KnowledgeBase:
    """Load and check one review folder; `root` makes paths in messages relative; links are followed
    only inside `data_dir` (the folder's parent by default); `sources` is the folder of the reviews'
    texts, against which evidence quotes are checked where the review's text is there."""
    root = root or folder.parent.parent
    docs, problems, salvaged = _documents(folder, root, data_dir)
    parsed: list[tuple[str, BaseModel, Origin]] = []
    broken: dict[str, str] = {}  # id -> collection, for items that failed validation
    for doc in docs:
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.path, 1, "a data file must be a mapping of collections, e.g. `trials:`"))
            continue
        for key, items in doc.data.items():
            if key not in COLLECTIONS:
                problems.append(
                    Problem(
                        doc.path,
                        doc.line_of((key,)),
                        f"unknown collection `{key}`; use one of: " + ", ".join(COLLECTIONS),
                    )
                )
                continue
            entries = [(items, (key,))] if key == "review" else None
            if entries is None:
                if not isinstance(items, list):
                    problems.append(Problem(doc.path, doc.line_of((key,)), f"`{key}` must be a list of items"))
                    continue
                if len(items) > MAX_ITEMS:
                    problems.append(
                        Problem(
                            doc.path,
                            doc.line_of((key,)),
                            f"`{key}` lists {len(items):,} items; no review needs more than {MAX_ITEMS:,} in one file",
                        )
                    )
                    continue
                entries = [(item, (key, i)) for i, item in enumerate(items)]
            for raw, loc in entries:
                origin = Origin(doc, loc)
                try:
                    parsed.append((key, COLLECTIONS[key].model_validate(raw), origin))
                except ValidationError as err:
                    problems.extend(_pydantic_problems(err, origin))
                    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                        broken[raw["id"]] = key
    reviews = [(m, o) for k, m, o in parsed if k == "review"]
    review_broken = (
        "review" in broken.values()
        or salvaged is not None  # a file that failed to load may hold it
        or (not reviews and any(isinstance(d.data, dict) and "review" in d.data for d in docs))
    )
    for ident in salvaged or ():
        broken.setdefault(ident, "?")
    if len(reviews) > 1 or (not reviews and not review_broken):
        where = reviews[1][1] if len(reviews) > 1 else None
        shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
        path, line = where.at() if where else (shown, 1)
        problems.append(Problem(Path(path), line, "each review folder needs exactly one `review:` mapping"))
    if reviews:
        review = reviews[0][0]
    else:  # keep checking the rest, so one run still reports every problem
        review = Review.model_construct(id=folder.name, title=folder.name, learning_path=[], comparison=[])
    kb = KnowledgeBase(review=review, folder=folder, origin=reviews[0][1] if reviews else None)  # type: ignore[arg-type]
    kb.broken = broken
    if not reviews:
        kb.broken["*aspects*"] = "review"
    _collect(kb, parsed, problems)
    _check_links(kb, parsed, problems)
    _check_tables(kb, parsed, problems)
    _check_quizzes(kb, parsed, problems)
    _check_fidelity(kb, parsed, problems, sources)
    if problems:
        raise DataError(problems)
    return kb


def _collect(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    seen: dict[str, Origin] = {}
    reference_origins: dict[int, Origin] = {}
    terms: dict[str, Origin] = {}
    for overview, (page, title) in OVERVIEWS.items():
        kb.targets[overview] = Target(page, title)
    for kind, model, origin in parsed:
        if kind == "references":
            reference_origins.setdefault(model.number, origin)
            if model.number in kb.references:
                problems.append(Problem(*origin.at("number"), f"reference {model.number} is defined twice"))
            kb.references[model.number] = model
            continue
        if kind == "glossary":
            if model.term in terms:
                there = "{}:{}".format(*terms[model.term].at("term"))
                problems.append(Problem(*origin.at("term"), f"glossary term `{model.term}` is also defined at {there}"))
                continue
            terms[model.term] = origin
            kb.glossary.append(model)
            continue
        if kind == "review":
            continue
        page = kb.page_of(kind, model.id)
        if kind in SECTIONS and (model.id == "index" or page in _OVERVIEW_PAGES):
            problems.append(
                Problem(
                    *origin.at("id"),
                    f"the id `{model.id}` is reserved: its page would replace an overview page; choose another",
                )
            )
            continue
        if model.id in seen or model.id in OVERVIEWS:
            first = seen.get(model.id)
            also = (
                f" (first at {first.doc.path}:{first.doc.line_of(first.loc + ('id',))})"
                if first
                else (" (reserved for an overview page)")
            )
            problems.append(Problem(*origin.at("id"), f"duplicate id `{model.id}`{also}; ids must be unique"))
            continue
        seen[model.id] = origin
        kb.entities[kind][model.id] = model
        anchor = model.id if kind == "safety_summaries" else None
        kb.targets[model.id] = Target(page, model.title, anchor)
        enrolment = getattr(model, "n", None)
        if enrolment is not None:  # patient numbers, likewise
            for name in ("enrolled", "evaluable"):
                if getattr(enrolment, name) is not None:
                    count = Value(value=getattr(enrolment, name), unit="patients")
                    kb.targets[f"{model.id}/{name}"] = Target(page, f"{model.title}: patients {name}", None, count)
        incidence = getattr(model, "incidence", None)
        if incidence is not None:  # incidence figures can be shown and asked about like any figure
            for name, value in (("incidence", incidence.all_grades), ("incidence-grade-3", incidence.grade_3_plus)):
                if value is not None:
                    kb.targets[f"{model.id}/{name}"] = Target(page, f"{model.title}: incidence", "incidence", value)
        items_seen: set[str] = set()
        for sub, loc in _walk(model, ()):
            if sub is model or "id" not in type(sub).model_fields or isinstance(sub, QuizOption):
                continue
            if sub.id in items_seen:
                problems.append(Problem(*origin.at(*loc, "id"), f"item id `{sub.id}` is used twice in `{model.id}`"))
            items_seen.add(sub.id)
            value = getattr(sub, "value", None) or getattr(sub, "dose", None) or getattr(sub, "range", None)
            label = getattr(sub, "label", None) or getattr(sub, "measure", None) or getattr(sub, "title", sub.id)
            kb.targets[f"{model.id}/{sub.id}"] = Target(page, label, sub.id, value)
    numbers = sorted(kb.references)
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        after = next(n for n in numbers if n > missing[0])  # the reference written where the gap is
        shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
        problems.append(
            Problem(
                *reference_origins[after].at("number"),
                f"references must be numbered 1..N as in the source; missing before {after}: {shown}",
            )
        )


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


def _check_links(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    aspects = {a.id for a in kb.review.comparison}
    figures = _figures_by_owner(kb)
    for kind, model, origin in parsed:
        if kind == "references":
            continue
        related = None if kind in ("review", "glossary") else _related_figures(kb, model, figures)
        page = "index.md" if kind in ("review", "glossary") else kb.page_of(kind, model.id)
        for sub, loc in _walk(model, ()):
            for name in type(sub).model_fields:
                value = getattr(sub, name)
                if value is None:
                    continue
                here = (*loc, name)
                if name == "refs":
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
                if name == "aspect" and value not in aspects and "*aspects*" not in kb.broken:
                    problems.append(
                        Problem(
                            *origin.at(*here),
                            f"unknown comparison aspect `{value}`; the review defines: {', '.join(sorted(aspects))}",
                        )
                    )
                    continue
                prose, kinds = _field_markers(type(sub), name)
                if kinds:
                    for i, target in enumerate(value if isinstance(value, list) else [value]):
                        spot = (*here, i) if isinstance(value, list) else here
                        _check_target(kb, target, kinds, page, origin, spot, problems)
                if prose and isinstance(value, str):
                    for target, _label in markup.links_in(value):
                        _check_target(kb, target, ("*", "/"), page, origin, here, problems, in_prose=True)
                    for message in markup.link_problems(value):
                        problems.append(Problem(*origin.at(*here), message))
                if isinstance(value, str) and name != "id":  # labels and titles as well as prose
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


def _check_tables(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    for kind, table, origin in parsed:
        if kind != "decision_tables":
            continue
        report = verify(table)
        kb.reports[table.id] = report
        problems.extend(Problem(*origin.at(*loc), message) for loc, message in report.problems)
        page = kb.page_of(kind, table.id)
        related = _related_figures(kb, table, _figures_by_owner(kb))
        for r, rule in enumerate(table.rules):
            for name, text in rule.then.items():
                for target, _label in markup.links_in(text):
                    _check_target(kb, target, ("*", "/"), page, origin, ("rules", r, "then", name), problems)
                problems.extend(_prose_problems(kb, text, related, origin, ("rules", r, "then", name)))
        for target in table.about:
            found = kb.targets.get(target)
            if found is not None:  # the page the table serves links to it
                kb.linked_from[page].add(found.page)


def _check_quizzes(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
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
        for sub, loc in _walk(model, ()):
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
    name = kb.review.source.text if isinstance(kb.review, Review) else None
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


def _check_fidelity(kb: KnowledgeBase, parsed: list, problems: list[Problem], sources: Path | None) -> None:
    source = _source_text(kb, sources, problems)
    sections = kb.review.source.sections if isinstance(kb.review, Review) else []
    for origin, items in _actionable(kb, parsed):
        for loc, message in fidelity.evidence_problems(items, sections, source):
            problems.append(Problem(*origin.at(*loc), message))
    for kind, quiz, origin in parsed:
        if kind == "quizzes":
            for message in fidelity.position_problems(quiz):
                problems.append(Problem(*origin.at("id"), message))


def find_reviews(data_dir: Path) -> list[Path]:
    """Each folder under data/ that holds YAML is one review."""
    folders = []
    for path in sorted(data_dir.iterdir()):
        if _ignored(path.name) or not path.is_dir():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(data_dir.resolve()):
            folders.append(path)  # reported when it is loaded
        elif any(p.suffix.lower() in YAML_SUFFIXES for p in path.rglob("*")):
            folders.append(path)
    return folders


def review_folders(data_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The review folders of a site, and YAML files left outside them; a DataError when there is none."""
    folders = find_reviews(data_dir) if data_dir.is_dir() else []
    stray = [
        Problem(p, 1, "a data file belongs in a review's folder, e.g. data/<review>/; move it there")
        for p in (sorted(data_dir.iterdir()) if data_dir.is_dir() else [])
        if p.suffix.lower() in YAML_SUFFIXES and not _ignored(p.name) and not p.is_dir()
    ]
    if not folders:
        raise DataError([Problem(data_dir, 1, "no review folder with YAML files was found here"), *stray])
    return folders, stray


def site_problems(data_dir: Path, reviews: list[KnowledgeBase]) -> list[Problem]:
    """What is wrong between reviews that are each fine: two with the same id."""
    problems = []
    first: dict[str, KnowledgeBase] = {}
    for kb in reviews:
        other = first.setdefault(kb.review.id, kb)
        if other is not kb and kb.origin is not None and other.origin is not None:
            there = "{}:{}".format(*other.origin.at("id"))
            problems.append(
                Problem(
                    *kb.origin.at("id"),
                    f"the review id `{kb.review.id}` is also used at {there}; each review needs its own id",
                )
            )
    return problems


def load_site(data_dir: Path, root: Path | None = None, sources: Path | None = None) -> list[KnowledgeBase]:
    """Load every review; one `DataError` carries the problems of all of them."""
    root = root or data_dir.parent
    reviews = []
    folders, problems = review_folders(data_dir)
    for folder in folders:
        try:
            reviews.append(load_review(folder, root, data_dir, sources))
        except DataError as err:
            problems.extend(err.problems)
    problems += site_problems(data_dir, reviews)
    if problems:
        raise DataError(problems)
    return reviews
