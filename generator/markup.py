"""Prose from YAML: cross-links, escaping, and the checks that keep raw HTML out of pages.

Prose is Markdown without raw HTML. `[[id]]` links to an entity or overview page, `[[id|label]]`
links with other words, and `[[entity/item]]` shows a figure kept elsewhere in the data, linked to
where it is defined, so a number is written once and shown everywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

LINK = re.compile(r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+?))?\]\]")
MD_URL = re.compile(r"\]\(\s*<?([^)\s>]*)")
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def links_in(text: str) -> Iterator[tuple[str, str | None]]:
    """Every `[[target|label]]` in the text, as (target, label or None)."""
    for match in LINK.finditer(text):
        yield match.group(1).strip(), (match.group(2) or "").strip() or None


def unsafe_urls(text: str) -> list[str]:
    """Markdown link targets with a scheme other than http(s) or mailto (e.g. `javascript:`)."""
    found = []
    for match in MD_URL.finditer(text):
        url = match.group(1).strip()
        scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
        if scheme and not url.lower().startswith(SAFE_SCHEMES):
            found.append(url)
    return found


_HTML_CHARS = str.maketrans({"<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"})


def escape_prose(text: str) -> str:
    """Neutralise raw HTML, attribute lists and template syntax while keeping Markdown.

    `<` and `>` become entities, so `<script>` shows as text; braces become entities, so
    `{: onclick=...}` (attr_list) and `{{ ... }}` stay literal text.
    """
    return text.translate(_HTML_CHARS)


def neutralise_urls(text: str) -> str:
    """Replace unsafe link targets by `#` (validation reports them; this is defence in depth)."""

    def fix(match: re.Match[str]) -> str:
        url = match.group(1)
        return (
            "](#"
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:", url) and not url.lower().startswith(SAFE_SCHEMES)
            else match.group(0)
        )

    return MD_URL.sub(fix, text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")
_PLAIN_SPECIAL = re.compile(r"[\\`*_\[\]#|!<>&{}]")


def escape_plain(text: str) -> str:
    """Plain text (titles, labels, table cells) for Markdown: no markup of any kind survives."""
    if _PLAIN_SPECIAL.search(text) is None:  # most text: nothing to escape
        return text
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))  # before any entity has a '#'
    return escaped.replace("\\|", "&#124;").replace("{", "&#123;").replace("}", "&#125;")


def render_prose(text: str, resolve: Callable[[str, str | None], str]) -> str:
    """Escape prose and replace each `[[...]]` by the Markdown `resolve(target, label)` returns."""
    if "[[" not in text:
        return neutralise_urls(escape_prose(text)) if "](" in text else escape_prose(text)
    pieces: list[str] = []
    last = 0
    for match in LINK.finditer(text):
        pieces.append(neutralise_urls(escape_prose(text[last : match.start()])))
        pieces.append(resolve(match.group(1).strip(), (match.group(2) or "").strip() or None))
        last = match.end()
    pieces.append(neutralise_urls(escape_prose(text[last:])))
    return "".join(pieces)
