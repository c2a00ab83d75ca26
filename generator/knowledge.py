"""The knowledge base of one review: its items, what `[[...]]` can point at, and the queries pages ask.

Filled by reviews.py (load and index) and checks.py (links, citations, verified tables); read by
the renderer, which never writes into it.
"""

from __future__ import annotations

import functools
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .decisions import Compiled, Report
from .loader import Document, Loc
from .schema import (
    FigureAt,
    IsAspect,
    IsFigure,
    IsLabel,
    IsProse,
    IsRefs,
    IsSetting,
    Points,
    Reference,
    Review,
    Term,
    Value,
)
from .sections import section


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
    #: page -> title of every page of the review
    page_titles: dict[str, str] = field(default_factory=dict)
    #: page -> pages whose prose or fields link to it
    linked_from: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: reference number -> pages citing it
    cited_on: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: ids of items that failed validation: links to them are not reported a second time
    broken: dict[str, str] = field(default_factory=dict)
    #: decision table id -> the table compiled once, and what the verifier found
    compiled: dict[str, Compiled] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    #: question id -> (answer, unit, lowest accepted, highest accepted) of numeric questions
    answers: dict[str, tuple[float, str, float, float]] = field(default_factory=dict)
    #: where the `review:` mapping was written
    origin: Origin | None = None
    #: whether evidence quotes were checked against the review's text in this build
    source_checked: bool = False
    #: what is odd but not wrong (an empty data file): a strict build fails on these
    warnings: list = field(default_factory=list)

    def page_of(self, kind: str, item_id: str) -> str:
        return section(kind).page_of(item_id)

    def items(self, kind: str) -> list[Any]:
        return list(self.entities[kind].values())

    # --- queries the pages ask ------------------------------------------------------------------

    def pages_of(self, target_ids: list[str]) -> set[str]:
        return {self.targets[t].page for t in target_ids if t in self.targets}

    def tables_about(self, page: str) -> list[Any]:
        """The decision tables that serve `page`, by title."""
        return sorted(
            (t for t in self.items("decision_tables") if page in self.pages_of(t.about)), key=lambda t: t.title
        )

    def quizzes_testing(self, page: str) -> list[Any]:
        """The quiz modules that test `page`, in the order they were written."""
        return [q for q in self.items("quizzes") if page in self.pages_of(q.tests)]

    def about_therapy(self, therapy_id: str) -> list[Any]:
        """Pages that belong to a therapy (its pharmacology, adverse reactions, indications)."""
        return [
            item
            for kind in ("pharmacology", "adverse_reactions", "indications")
            for item in self.items(kind)
            if getattr(item, "therapy", None) == therapy_id
        ]

    def setting_title(self, setting_id: str) -> str:
        """How a clinical setting reads (the review's `settings`), e.g. 'Relapsed/refractory'."""
        return next((s.title for s in getattr(self.review, "settings", []) if s.id == setting_id), setting_id)

    def setting_rank(self, setting_id: str) -> int:
        ids = [s.id for s in getattr(self.review, "settings", [])]
        return ids.index(setting_id) if setting_id in ids else len(ids)

    def trials_of(self, therapy_id: str) -> list[Any]:
        return [t for t in self.items("trials") if therapy_id in t.therapies]

    def citing_trial(self, trial_id: str) -> tuple[list[Any], list[Any]]:
        """(indications it supports, open questions it bears on)."""
        return (
            [i for i in self.items("indications") if trial_id in i.trials],
            [q for q in self.items("open_questions") if trial_id in q.trials],
        )


# --- what the fields of the models mean (their markers) -------------------------------------------


def _metadata(info: Any) -> list[Any]:
    found: list[Any] = list(info.metadata)
    stack = [info.annotation]
    while stack:
        tp = stack.pop()
        if typing.get_origin(tp) is typing.Annotated:
            found.extend(tp.__metadata__)
        stack.extend(typing.get_args(tp))
    return found


@functools.cache
def field_markers(model: type, name: str) -> tuple[bool, tuple[str, ...]]:
    """(is prose, kinds pointed at) for a field, looking through Optional and list."""
    found = _metadata(model.model_fields[name])
    kinds: tuple[str, ...] = ()
    for marker in found:
        if isinstance(marker, Points):
            kinds = marker.kinds
    return any(isinstance(m, IsProse) for m in found), kinds


@functools.cache
def marked(model: type, marker: type) -> tuple[str, ...]:
    """Names of the fields of `model` that carry `marker` (IsFigure, IsLabel, IsRefs, IsAspect...)."""
    return tuple(
        name for name, info in model.model_fields.items() if any(isinstance(m, marker) for m in _metadata(info))
    )


@functools.cache
def figure_fields(model: type) -> tuple[tuple[str, FigureAt], ...]:
    """(field, marker) of the number fields a model without an id offers as figures (enrolment...)."""
    return tuple(
        (name, next(m for m in _metadata(info) if isinstance(m, FigureAt)))
        for name, info in model.model_fields.items()
        if any(isinstance(m, FigureAt) for m in _metadata(info))
    )


def figure_of(item: BaseModel) -> Value | None:
    """The figure an item with an id shows where `[[entity/item]]` points at it."""
    for name in marked(type(item), IsFigure):
        value = getattr(item, name)
        if value is not None:
            return value
    return None


def label_of(item: BaseModel) -> str:
    for name in marked(type(item), IsLabel):
        value = getattr(item, name)
        if value:
            return value
    return getattr(item, "title", None) or item.id  # type: ignore[attr-defined]


def is_refs(model: type, name: str) -> bool:
    return name in marked(model, IsRefs)


def is_aspect(model: type, name: str) -> bool:
    return name in marked(model, IsAspect)


def is_setting(model: type, name: str) -> bool:
    return name in marked(model, IsSetting)


def figure_targets(entity: BaseModel, page: str) -> Iterator[tuple[str, Target]]:
    """The figures of an entity's parts without ids (enrolment counts, incidence), as targets."""
    title = getattr(entity, "title", "")
    for sub, _loc in walk(entity, ()):
        for name, marker in figure_fields(type(sub)):
            raw = getattr(sub, name)
            if raw is None:
                continue
            value = raw if isinstance(raw, Value) else Value(value=raw, unit=marker.unit or "patients")
            yield marker.name, Target(page, f"{title}: {marker.label}", marker.anchor, value)


def walk(model: BaseModel, loc: Loc) -> Iterator[tuple[BaseModel, Loc]]:
    """The model and every model inside it, with its location."""
    yield model, loc
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk(item, (*loc, name, index))
