"""One build of the site from data/: pages, navigation, abbreviations and footer, all in memory.

Used by the MkDocs plugin and by `kb-site markdown`, so both produce the same files. Reviews are
independent until the navigation and the home page join them, so each is loaded, checked and
rendered on its own, in worker processes when there are several reviews and CPUs.
"""

from __future__ import annotations

import contextlib
import gc
import html
import json
import multiprocessing
import os
import re
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

import yaml

from .export import references as reference_exports
from .knowledge import KnowledgeBase
from .loader import review_folders
from .problems import DataError, Problem
from .render import (
    ASSET_DIR,
    ASSET_FILES,
    ASSETS,
    EXTENSIONS,
    Pages,
    compile_templates,
    html_environment,
    navigation,
    plain_text,
    render_guide,
    render_home,
    render_review,
)
from .reviews import load_review, site_problems
from .sections import EDUCATORS

#: The educators' authoring guide, one page for the whole site.
GUIDE = "authoring-guide.md"


@dataclass(frozen=True)
class Build:
    reviews: list[KnowledgeBase]
    pages: Pages
    nav: list
    glossary: dict[str, str]
    #: review id -> Markdown abbreviation definitions where that review expands a term differently
    overrides: dict[str, str]
    #: review id -> footer of its pages; "" -> footer of the pages outside any review (all of them)
    footers: dict[str, str]
    #: processes that loaded and rendered the reviews (1: this one alone)
    workers: int = 1
    #: files other than pages, by path under the docs root (the references for reference managers)
    downloads: dict[str, str] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Problem]:
        return [w for kb in self.reviews for w in kb.warnings]


def abbreviations(reviews: list[KnowledgeBase]) -> tuple[dict[str, str], dict[str, str]]:
    """The site-wide glossary for the `abbr` extension (the first review to define a term wins), and
    for each review the definitions (`*[CRS]: ...`) its own pages need where it says otherwise.

    Handing the glossary to the extension once keeps each page's cost flat; appending every
    definition to every page made the build grow with (pages x terms)."""
    glossary: dict[str, str] = {}
    for kb in reviews:
        for term in kb.glossary:
            glossary.setdefault(term.term, " ".join(term.expansion.split()))
    overrides = {}
    for kb in reviews:
        own = {t.term: " ".join(t.expansion.split()) for t in kb.glossary}
        lines = [f"*[{term}]: {text}" for term, text in sorted(own.items()) if glossary[term] != text]
        if lines:
            overrides[kb.review.id] = "\n\n" + "\n".join(lines) + "\n"
    return dict(sorted(glossary.items())), overrides


def footer(kb: KnowledgeBase) -> str:
    """A review's disclaimer and the attribution of its source, as escaped HTML for the footer."""
    return (
        html_environment()
        .get_template("footer.html.j2")
        .render(disclaimer=plain_text(kb.review.disclaimer, kb), review=kb.review, source=kb.review.source)
    )


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: loading builds hundreds of thousands of objects that live on,
    and the collector re-scanning them made loading grow faster than the data (15% at 20 reviews).
    What they leave behind is collected as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _review(
    folder: Path, root: Path, data_dir: Path, sources: Path | None = None
) -> tuple[KnowledgeBase | None, Pages, list[Problem]]:
    """One review loaded, checked and rendered: (knowledge base, pages, problems)."""
    try:
        kb = load_review(folder, root, data_dir, sources)
    except DataError as err:  # returned, not raised: the problems travel back from a worker as data
        return None, {}, err.problems
    return kb, render_review(kb), []


def workers_for(tasks: int, requested: int = 0) -> int:
    """Processes to use for `tasks` reviews: `requested` (0 = one per CPU), at most one per review.

    Workers are forked, which is only safe while this process runs one thread: `mkdocs build` and
    the command line do; `mkdocs serve`, once its server and watcher threads run, does not, and
    rebuilds one review after another. Forking is used on Linux only."""
    if tasks < 2 or requested == 1 or sys.platform != "linux" or threading.active_count() > 1:
        return 1
    cpus = len(os.sched_getaffinity(0))
    return max(1, min(tasks, requested if requested > 0 else cpus))


def load_reviews(data_dir: Path, root: Path | None = None, sources: Path | None = None) -> list[KnowledgeBase]:
    """Every review validated and checked, not rendered; raises DataError with every problem found."""
    root = root or data_dir.parent
    folders, problems = review_folders(data_dir)
    reviews = []
    for folder in folders:
        try:
            reviews.append(load_review(folder, root, data_dir, sources))
        except DataError as err:
            problems.extend(err.problems)
    problems += site_problems(data_dir, reviews)
    if problems:
        raise DataError(problems)
    return reviews


def load_build(data_dir: Path, root: Path | None = None, workers: int = 0, sources: Path | None = None) -> Build:
    """Validate data/ and render everything; raises DataError with every problem found.

    `workers`: processes to use, 0 = one per CPU, 1 = none (the output is the same either way).
    `sources`: the folder of the reviews' texts, to check evidence quotes against (where present)."""
    root = root or data_dir.parent
    folders, stray = review_folders(data_dir)
    with _without_cycle_collection():
        processes = workers_for(len(folders), workers)
        if processes > 1:
            compile_templates()  # once, before forking, so no worker compiles them again
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(processes, mp_context=context) as pool:
                results = list(pool.map(_review, folders, repeat(root), repeat(data_dir), repeat(sources)))
        else:
            results = [_review(folder, root, data_dir, sources) for folder in folders]
        reviews = [kb for kb, _, _ in results if kb is not None]
        problems = stray + [problem for _, _, found in results for problem in found] + site_problems(data_dir, reviews)
        if problems:
            raise DataError(problems)
        pages: Pages = {"index.md": render_home(reviews), GUIDE: render_guide()}
        for _, review_pages, _ in results:
            pages.update(review_pages)
        footers = {kb.review.id: footer(kb) for kb in reviews}
        footers[""] = "".join(footers[kb.review.id] for kb in reviews)
        pages = dict(sorted(pages.items()))
        nav = [*navigation(reviews), {EDUCATORS: [{"Authoring guide": GUIDE}]}]
        return Build(reviews, pages, nav, *abbreviations(reviews), footers, processes, downloads(reviews))


def downloads(reviews: list[KnowledgeBase]) -> dict[str, str]:
    """The files the site offers for download beside its pages: each review's references as CSL-JSON,
    BibTeX and RIS, linked from its references page (see references.md.j2)."""
    found = {}
    for kb in reviews:
        for name, text in reference_exports.files(kb).items():
            found[f"{kb.review.id}/downloads/{name}"] = text
    return dict(sorted(found.items()))


def _url_of(path: str) -> str:
    """Where MkDocs (with directory URLs) publishes a Markdown page: `a/b.md` and `a/b/index.md` -> `a/b/`."""
    stem = path.removesuffix(".md")
    parts = stem.split("/")
    if parts[-1] in ("index", "README"):
        parts = parts[:-1]
    return "/".join(parts) + "/" if parts else ""


def collisions(build: Build, docs_dir: Path, root: Path) -> list[Problem]:
    """Generated pages that would replace a hand-written page of docs_dir (same file or same URL).

    A review whose id takes a hand-written page's place is reported at its id; any other clash at
    the hand-written file, which is the one to rename."""
    if not docs_dir.is_dir():
        return []
    handwritten: dict[str, Path] = {}
    for file in sorted(docs_dir.rglob("*.md")):
        rel = file.relative_to(docs_dir).as_posix()
        handwritten.setdefault(rel, file)
        handwritten.setdefault(_url_of(rel), file)
    problems = []
    shown = docs_dir.relative_to(root) if docs_dir.is_relative_to(root) else docs_dir
    for page in build.pages:
        mine = handwritten.get(page) or handwritten.get(_url_of(page))
        if mine is None:
            continue
        theirs = mine.relative_to(docs_dir).as_posix()
        kb = next((kb for kb in build.reviews if page == f"{kb.review.id}/index.md"), None)
        if kb is not None and kb.origin is not None:
            problems.append(
                Problem(
                    *kb.origin.at("id"),
                    f"the review id `{kb.review.id}` would replace the hand-written page {shown}/{theirs}; "
                    "choose another id",
                )
            )
        else:
            problems.append(
                Problem(
                    shown / theirs,
                    1,
                    f"this hand-written page has the place of the generated page {page}; rename or move it",
                )
            )
    return problems


def markdown_tree(build: Build, site_name: str = "Knowledge base") -> dict[str, str]:
    """The site as a folder any MkDocs-style engine can build without this project's plugin: the
    pages under docs/ (each review's own abbreviations appended to its pages), the widgets' assets,
    `abbreviations.md` (every definition, for engines that append a snippet to each page) and a
    `mkdocs.yml` with the navigation, the glossary and the extensions the pages are written for."""
    files: dict[str, str] = {}
    for path, text in build.pages.items():
        files[f"docs/{path}"] = _escaped_front_matter(text) + build.overrides.get(path.split("/", 1)[0], "")
    for name in ASSET_FILES:
        files[f"docs/{ASSET_DIR}/{name}"] = (ASSETS / name).read_text(encoding="utf-8")
    for path, text in build.downloads.items():
        files[f"docs/{path}"] = text
    files["abbreviations.md"] = "".join(f"*[{term}]: {text}\n" for term, text in build.glossary.items())
    extensions: list = [e for e in EXTENSIONS if e not in ("abbr", "toc")]
    extensions += [{"abbr": {"glossary": build.glossary}}, {"toc": {"permalink": True}}]
    config = {
        "site_name": site_name,
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {"name": "material", "font": False},
        "copyright": build.footers[""],
        "nav": _plain(build.nav),
        "markdown_extensions": extensions,
        "extra_css": [f"{ASSET_DIR}/{n}" for n in ASSET_FILES if n.endswith(".css")],
        "extra_javascript": [f"{ASSET_DIR}/{n}" for n in ASSET_FILES if n.endswith(".js")],
        "plugins": ["search"],
    }
    header = "# The generated site as plain Markdown: `mkdocs build -f mkdocs.yml` builds it without the plugin.\n"
    files["mkdocs.yml"] = header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
    return files


def _escaped_front_matter(page: str) -> str:
    """Front matter whose title and description Material can print as they are (it does not escape
    them): `&`, `<`, `>` and `"` as entities; an apostrophe stays one, so the text still reads."""
    head, _, rest = page.partition("\n---\n")

    def escape(match: re.Match[str]) -> str:
        value = html.escape(json.loads(match.group(2)), quote=False).replace('"', "&quot;")
        return f"{match.group(1)}: {json.dumps(value, ensure_ascii=False)}"

    head = re.sub(r"^(title|description): (\".*\")$", escape, head, flags=re.M)
    return f"{head}\n---\n{rest}"


def _plain(nav: Any) -> Any:
    """The navigation with plain str keys (YAML cannot write Markup)."""
    if isinstance(nav, list):
        return [_plain(entry) for entry in nav]
    if isinstance(nav, dict):
        return {str(key): _plain(value) for key, value in nav.items()}
    return str(nav)
