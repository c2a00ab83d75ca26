"""One build of the site from data/: pages, navigation, abbreviations and footer, all in memory.

Used by the MkDocs plugin and by `kb-site markdown`, so both produce the same files.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .knowledge import KnowledgeBase, load_site
from .render import Pages, navigation, plain_text, render_site


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
    s = kb.review.source
    return (
        f'<p class="kb-disclaimer">{html.escape(plain_text(kb.review.disclaimer, kb))}</p>'
        f'<p class="kb-attribution">{html.escape(kb.review.title)}: written from {html.escape(s.authors)}. '
        f"{html.escape(s.title)}. <em>{html.escape(s.journal)}</em> {s.year};{html.escape(s.details)}. "
        f'<a href="https://doi.org/{html.escape(s.doi)}">doi:{html.escape(s.doi)}</a>, '
        f'licensed <a href="{html.escape(s.license_url)}">{html.escape(s.license)}</a>.</p>'
    )


def load_build(data_dir: Path, root: Path | None = None) -> Build:
    """Validate data/ and render everything; raises DataError with every problem found."""
    reviews = load_site(data_dir, root)
    footers = {kb.review.id: footer(kb) for kb in reviews}
    footers[""] = "".join(footers[kb.review.id] for kb in reviews)
    return Build(reviews, render_site(reviews), navigation(reviews), *abbreviations(reviews), footers)


def write_pages(pages: Pages, out_dir: Path) -> None:
    """Write the pages to `out_dir` all at once: a new folder is filled, then swapped in."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for path, content in pages.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
            out_dir.rename(old)
        staging.rename(out_dir)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
