"""Prose for files read outside the site: HTML for question banks and flashcards, plain text elsewhere.

Prose is Markdown with `[[...]]` links (see markup.py). An exported file has no site around it, so
a link becomes its words, as the site prints them: a figure its value (`[[tower/cr]]` -> "34%"), an
entity its title, `[[id|label]]` the label. Markdown is rendered as on the site and raw HTML in the
data stays text. The HTML is re-serialised so that it is also well-formed XML (QTI embeds it).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

import markdown

from .. import markup
from ..values import format_value

#: Elements Markdown emits that every consumer here (Moodle, QTI 2.1 itemBody, Anki) shows.
_KEEP = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "a", "ul", "ol", "li", "blockquote", "sub", "sup",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
_VOID = {"br", "hr"}
_BLOCKS = {"p", "ul", "ol", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br"}


def words(kb: Any, target: str, label: str | None) -> str:
    """What a `[[target|label]]` link reads as: the label, the figure as the site prints it, or the title."""
    found = kb.targets[target]
    return label or (format_value(found.value) if found.value is not None else found.title)


@functools.cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown()


class _Tidy(HTMLParser):
    """Markdown's HTML rebuilt from its parts: known elements only, `href` the only attribute (an
    http(s) or mailto address), text escaped for XML (HTML's named entities are decoded first)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.open: list[tuple[str, str]] = []  # (tag in the source, tag written)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _KEEP:
            return
        if tag in _BLOCKS:
            self.text.append("\n")
        if tag in _VOID:
            self.out.append(f"<{tag}/>")
            return
        written, attr = tag, ""
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if markup.safe_url(href):
                attr = f' href="{html.escape(href, quote=True)}"'
            else:
                written = "span"
        self.out.append(f"<{written}{attr}>")
        self.open.append((tag, written))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _KEEP or tag in _VOID or all(source != tag for source, _ in self.open):
            return
        while self.open:
            source, written = self.open.pop()
            self.out.append(f"</{written}>")
            if source == tag:
                break
        if tag in _BLOCKS:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))
        self.text.append(data)

    def result(self) -> tuple[str, str]:
        while self.open:
            self.out.append(f"</{self.open.pop()[1]}>")
        plain = "\n".join(" ".join(line.split()) for line in "".join(self.text).split("\n"))
        return "".join(self.out).strip(), re.sub(r"\n{2,}", "\n", plain).strip()


def _render(kb: Any, text: str) -> tuple[str, str]:
    """(HTML, plain text) of one piece of prose."""
    source = markup.render_prose(text, lambda target, label: markup.escape_plain(words(kb, target, label)))
    md = _markdown()
    try:
        rendered = md.reset().convert(source)
    finally:
        md.reset()
    tidy = _Tidy()
    tidy.feed(rendered)
    tidy.close()
    return tidy.result()


def to_html(kb: Any, text: str, inline: bool = False) -> str:
    """Prose as HTML (well-formed XML too). With `inline`, a single paragraph loses its <p>."""
    rendered, _ = _render(kb, text)
    if inline:
        rendered = unwrap(rendered)
    return rendered


def to_plain(kb: Any, text: str) -> str:
    """Prose as plain text: no markup, links as their words, paragraphs on lines of their own."""
    return _render(kb, text)[1]


def unwrap(rendered: str) -> str:
    """`<p>x</p>` -> `x` when the HTML is exactly one paragraph."""
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def reference_text(ref: Any) -> str:
    """A reference as the references page prints it, in plain text."""
    byline = f"{markup.sentence(ref.byline)} " if ref.authors else ""
    parts = [byline, f"{markup.sentence(ref.title)} {ref.journal}. {ref.year}"]
    parts.append(f";{ref.details}." if ref.details else ".")
    if ref.doi:
        parts.append(f" doi:{ref.doi}")
    return "".join(parts)


def sources_html(kb: Any, refs: Iterable[int]) -> str:
    """The references a statement cites, numbered as in the review, each with its DOI linked."""
    items = []
    for n in sorted(set(refs)):
        ref = kb.references.get(n)
        if ref is None:
            continue
        text = html.escape(reference_text(ref).removesuffix(f" doi:{ref.doi}") if ref.doi else reference_text(ref))
        if ref.doi:
            url = html.escape(f"https://doi.org/{ref.doi}", quote=True)
            text += f' <a href="{url}">doi:{html.escape(ref.doi)}</a>'
        items.append(f"<li>[{n}] {text}</li>")
    if not items:
        return ""
    return f"<p>Sources in the review's reference list:</p><ul>{''.join(items)}</ul>"
