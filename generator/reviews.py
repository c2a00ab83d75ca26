"""One review folder loaded: its files read, every item validated and indexed, every check run.

`load_review(folder)` returns the review's `KnowledgeBase`, or raises `DataError` listing every
problem found, each as `path:LINE: message`.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import checks, errors
from .knowledge import KnowledgeBase, Origin, Target, figure_of, figure_targets, label_of, walk
from .loader import load_folder
from .problems import DataError, Problem
from .schema import QuizOption, Review
from .sections import collections, overviews, section

#: Items of one collection in one file: far above any real review (the first has 148 questions).
MAX_ITEMS = 2_000


def load_review(
    folder: Path, root: Path | None = None, data_dir: Path | None = None, sources: Path | None = None
) -> KnowledgeBase:
    """Load and check one review folder; `root` makes paths in messages relative; links are followed
    only inside `data_dir` (the folder's parent by default); `sources` is the folder of the reviews'
    texts, against which evidence quotes are checked where the review's text is there."""
    root = root or folder.parent.parent
    docs, problems, salvaged = load_folder(folder, root, data_dir)
    parsed: list[tuple[str, BaseModel, Origin]] = []
    broken: dict[str, str] = {}  # id -> collection, for items that failed validation
    known = collections()
    warnings: list[Problem] = []
    for doc in docs:
        if doc.data in ({}, None):
            warnings.append(
                Problem(doc.path, 1, "this data file is empty; add collections to it or delete it", warning=True)
            )
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.path, 1, "a data file must be a mapping of collections, e.g. `trials:`"))
            continue
        for key, items in doc.data.items():
            if key not in known:
                problems.append(
                    Problem(
                        doc.path,
                        doc.line_of((key,)),
                        f"unknown collection `{key}`; use one of: " + ", ".join(known),
                    )
                )
                continue
            entries = [(items, (key,))] if section(key).single else None
            if entries is None:
                if items is None or items == []:
                    warnings.append(
                        Problem(
                            doc.path,
                            doc.line_of((key,)),
                            f"`{key}` lists no items; add some or remove the key",
                            warning=True,
                        )
                    )
                    continue
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
                    parsed.append((key, known[key].model_validate(raw), origin))
                except ValidationError as err:
                    problems.extend(errors.problems_of(err, origin))
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
    _index(kb, parsed, problems)
    checks.check(kb, parsed, problems, sources)
    if problems:
        raise DataError(problems + warnings)
    kb.warnings = warnings
    return kb


def _index(kb: KnowledgeBase, parsed: list, problems: list[Problem]) -> None:
    """Register every item under its id, with the page it is on and the figures it offers."""
    seen: dict[str, Origin] = {}
    reference_origins: dict[int, Origin] = {}
    terms: dict[str, Origin] = {}
    pages = overviews()
    reserved = {page for page, _ in pages.values()}
    for overview, (page, title) in pages.items():
        kb.targets[overview] = Target(page, title)
        kb.page_titles[page] = title
    kb.page_titles["index.md"] = kb.review.title
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
        row = section(kind)
        page = row.page_of(model.id)
        if row.overview is not None and (model.id == "index" or page in reserved):
            problems.append(
                Problem(
                    *origin.at("id"),
                    f"the id `{model.id}` is reserved: its page would replace an overview page; choose another",
                )
            )
            continue
        if model.id in seen or model.id in pages:
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
        anchor = model.id if row.anchored_on is not None else None
        kb.targets[model.id] = Target(page, model.title, anchor)
        if row.overview is not None:
            kb.page_titles[page] = model.title
        for name, target in figure_targets(model, page):  # enrolment counts, incidence...
            kb.targets[f"{model.id}/{name}"] = target
        items_seen: dict[str, tuple] = {}
        for sub, loc in walk(model, ()):
            if sub is model or "id" not in type(sub).model_fields or isinstance(sub, QuizOption):
                continue
            if sub.id in items_seen:
                first = origin.at(*items_seen[sub.id], "id")[1]
                problems.append(
                    Problem(
                        *origin.at(*loc, "id"),
                        f"item id `{sub.id}` is used twice in `{model.id}` (first at line {first}); "
                        "each figure or item of an entity needs its own id",
                    )
                )
            items_seen.setdefault(sub.id, loc)
            kb.targets[f"{model.id}/{sub.id}"] = Target(page, label_of(sub), sub.id, figure_of(sub))
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
