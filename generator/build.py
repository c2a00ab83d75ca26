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
    abbreviations: str
    footer_html: str


def abbreviations(reviews: list[KnowledgeBase]) -> str:
    """Markdown abbreviation definitions (`*[CRS]: ...`) for every glossary term, first one wins."""
    seen: dict[str, str] = {}
    for kb in reviews:
        for term in kb.glossary:
            seen.setdefault(term.term, " ".join(term.expansion.split()))
    lines = [f"*[{term}]: {expansion}" for term, expansion in sorted(seen.items())]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def footer(reviews: list[KnowledgeBase]) -> str:
    """The disclaimer and the attribution of each source review, as escaped HTML for the footer."""
    parts = []
    for kb in reviews:
        s = kb.review.source
        parts.append(
            f'<p class="kb-disclaimer">{html.escape(plain_text(kb.review.disclaimer, kb))}</p>'
            f'<p class="kb-attribution">{html.escape(kb.review.title)}: written from {html.escape(s.authors)}. '
            f"{html.escape(s.title)}. <em>{html.escape(s.journal)}</em> {s.year};{html.escape(s.details)}. "
            f'<a href="https://doi.org/{html.escape(s.doi)}">doi:{html.escape(s.doi)}</a>, '
            f'licensed <a href="{html.escape(s.license_url)}">{html.escape(s.license)}</a>.</p>'
        )
    return "".join(parts)


def load_build(data_dir: Path, root: Path | None = None) -> Build:
    """Validate data/ and render everything; raises DataError with every problem found."""
    reviews = load_site(data_dir, root)
    return Build(reviews, render_site(reviews), navigation(reviews), abbreviations(reviews), footer(reviews))


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
