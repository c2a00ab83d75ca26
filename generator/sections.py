"""The registry of sections: one row per collection of the knowledge base.

A row says how the collection's items are validated (its model), where their pages go (folder and
templates), what the overview page is called, where the section sits in the navigation and how its
items are ordered. Validation, pages, navigation, overviews and the review's "What is here" table
all read this registry, so adding a kind of entity is one model, one row and one template.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from . import schema


def by_title(item: Any, kb: Any = None) -> tuple:
    return (item.title.lower(),)


def as_written(item: Any, kb: Any = None) -> tuple:
    return ()


@dataclass(frozen=True)
class Section:
    """One collection: `key` in YAML, the `model` of its items, and their pages."""

    key: str
    model: type[BaseModel]
    #: folder of one page per item (`<folder>/<id>.md`) and of the overview (`<folder>/index.md`);
    #: None for collections shown elsewhere (references, glossary)
    folder: str | None = None
    title: str = ""  # of the overview page
    nav: str | None = None  # heading in the navigation; None: not listed there
    #: how items are listed: a sort key of (item, knowledge base)
    order: Callable[..., Any] = by_title
    #: template of an item's page (default `<folder>.md.j2`) and of the overview
    template: str | None = None
    index_template: str = "section-index.md.j2"
    #: items that live as anchors on another section's overview (key of that section)
    anchored_on: str | None = None
    #: the `review:` mapping: one per review folder, not a list
    single: bool = False
    #: heading an item is listed under inside the section's navigation (None: one flat list)
    nav_group: Callable[[Any], str] | None = None
    #: weight of the section's pages in search results (Material's `search: boost:`; None: 1)
    search_boost: float | None = None

    @property
    def item_template(self) -> str:
        return self.template or f"{self.folder}.md.j2"

    def page_of(self, item_id: str) -> str:
        """The page an item of this section is on (relative to its review's folder)."""
        if self.anchored_on is not None:
            return f"{section(self.anchored_on).folder}/index.md"
        return f"{self.folder}/{item_id}.md"

    @property
    def overview(self) -> str | None:
        return f"{self.folder}/index.md" if self.folder and self.anchored_on is None else None


#: The navigation heading of the pages for educators, after the learning path of each review.
EDUCATORS = "For educators"


@dataclass(frozen=True)
class Page:
    """A page of each review that is not an item or a section overview: `[[id]]` links to it."""

    id: str
    path: str
    title: str
    template: str
    search: bool = True
    #: where the navigation lists it: under a section's heading (after that section's pages), or
    #: under a heading of its own after the review's sections, such as EDUCATORS; None: the page
    #: has its fixed place (the review's home first; comparison, references, glossary)
    nav: str | None = None
    #: a collection the review needs items of for the page to exist (no quizzes, no answer key)
    needs: str | None = None


def _trial_order(item: Any, kb: Any = None) -> tuple:
    """By setting (in the order the review lists them), then phase, then title."""
    setting = kb.setting_rank(item.setting) if kb is not None else 0
    return (setting, list(schema.PHASES).index(item.phase), item.title.lower())


def _trial_group(item: Any, kb: Any = None) -> str:
    """A trial's heading in the navigation: its setting as the review names it."""
    return kb.setting_title(item.setting) if kb is not None else item.setting


def _therapy_order(item: Any, kb: Any = None) -> tuple:
    return (item.role != "primary", item.title.lower())


#: In reading order: the order of the navigation and of "What is here".
_REGISTRY: list[Section] = [
    Section("review", schema.Review, single=True),
    Section("topics", schema.Topic, "background", "Background", "Background", template="background.md.j2"),
    Section("therapies", schema.Therapy, "therapies", "Therapies", "Therapies", order=_therapy_order),
    Section("pharmacology", schema.Pharmacology, "pharmacology", "Pharmacology and administration", "Pharmacology"),
    Section(
        "adverse_reactions",
        schema.AdverseReaction,
        "adverse-reactions",
        "Adverse reactions",
        "Adverse reactions",
        index_template="adverse-reactions-index.md.j2",
    ),
    Section("safety_summaries", schema.SafetySummary, anchored_on="adverse_reactions"),
    Section("indications", schema.Indication, "indications", "Indications", "Indications"),
    Section(
        "trials",
        schema.Trial,
        "trials",
        "Trials",
        "Trials",
        order=_trial_order,
        index_template="trials-index.md.j2",
        nav_group=_trial_group,
    ),
    Section(
        "decision_tables",
        schema.DecisionTable,
        "decisions",
        "Decision tables",
        "Decision tables",
        index_template="decisions-index.md.j2",
    ),
    Section("open_questions", schema.OpenQuestion, "open-questions", "Open questions", "Open questions"),
    Section(
        "quizzes",
        schema.Quiz,
        "quizzes",
        "Test yourself",
        "Test yourself",
        order=as_written,
        index_template="quizzes-index.md.j2",
        search_boost=0.1,  # a search for a drug finds its pages before the questions that name it
    ),
    Section("references", schema.Reference),
    Section("glossary", schema.Term),
]

#: The other pages of a review.
PAGES: list[Page] = [
    Page("home", "index.md", "Overview and learning path", "review.md.j2"),
    Page("comparison", "comparison.md", "Comparison of therapies", "comparison.md.j2"),
    Page("progress", "quizzes/progress.md", "My progress", "progress.md.j2", False, "Test yourself", "quizzes"),
    Page("references", "references.md", "References", "references.md.j2"),
    Page("glossary", "glossary.md", "Glossary", "glossary.md.j2"),
    # For educators: outside the learning path, and out of the search.
    Page(
        "answer-key",
        "educators/answer-key.md",
        "Answer key for educators",
        "answer-key.md.j2",
        False,
        EDUCATORS,
        "quizzes",
    ),
]

#: Folders of templates added by `extended` (tests, and sites that add their own kinds).
TEMPLATE_DIRS: list[Path] = []


def registry() -> list[Section]:
    return list(_REGISTRY)


def section(key: str) -> Section:
    for row in _REGISTRY:
        if row.key == key:
            return row
    raise KeyError(key)


def collections() -> dict[str, type[BaseModel]]:
    """The top-level keys a data file may hold, and the model of each item under them."""
    return {row.key: row.model for row in _REGISTRY}


def with_pages() -> list[Section]:
    """Sections whose items each have a page (and an overview), in reading order."""
    return [row for row in _REGISTRY if row.folder is not None]


def overviews() -> dict[str, tuple[str, str]]:
    """Pages that prose may link to by id: id -> (path, title)."""
    found = {row.folder: (row.overview, row.title) for row in with_pages() if row.overview}
    found.update({page.id: (page.path, page.title) for page in PAGES})
    return found  # type: ignore[return-value]


@contextlib.contextmanager
def extended(*rows: Section, templates: Path | None = None) -> Iterator[None]:
    """The registry with more sections (before the quizzes), and their templates, for a while."""
    added = list(rows)
    position = next(i for i, row in enumerate(_REGISTRY) if row.key == "quizzes")
    _REGISTRY[position:position] = added
    if templates is not None:
        TEMPLATE_DIRS.append(templates)
    try:
        yield
    finally:
        for row in added:
            _REGISTRY.remove(row)
        if templates is not None:
            TEMPLATE_DIRS.remove(templates)


def _described(row: Section) -> str:
    what = (row.model.__doc__ or "").strip().split("\n")[0].rstrip(".")
    kind = "The review" if row.single else f"A list of {row.key.replace('_', ' ')}"
    page = f"; each has a page under {row.folder}/" if row.folder and row.anchored_on is None else ""
    return f"{kind}{': ' + what if what and not what.startswith('Base') else ''}{page}"


def data_file_schema() -> dict:
    """JSON Schema of one data file, for editors (VS Code's YAML extension) to complete and check."""
    fields: dict = {
        row.key: (
            (row.model if row.single else list[row.model]) | None,  # type: ignore[name-defined]
            Field(None, description=_described(row)),
        )
        for row in _REGISTRY
    }
    DataFile = create_model("DataFile", __config__=ConfigDict(extra="forbid"), **fields)  # noqa: N806
    result = DataFile.model_json_schema()
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    result["title"] = "Knowledge base data file"
    result["description"] = "One YAML file under data/<review>/; any of these collections may appear in it."
    return result
