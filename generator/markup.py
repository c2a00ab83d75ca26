"""Prose from YAML: cross-links, escaping, and the checks that keep raw HTML out of pages.

Prose is Markdown without raw HTML. `[[id]]` links to an entity or overview page, `[[id|label]]`
links with other words, and `[[entity/item]]` shows a figure kept elsewhere in the data, linked to
where it is defined, so a number is written once and shown everywhere.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import markdown

LINK = re.compile(r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+?))?\]\]")
MD_URL = re.compile(r"\]\(\s*<?([^)\s>]*)")
SAFE_SCHEMES = ("http", "https", "mailto")
#: Prose that could make Markdown emit a URL: inline links and images, and reference definitions.
_MAY_LINK = re.compile(r"\]\(|\]:|!\[")
#: A Markdown reference definition (`[p]: url`) or abbreviation definition (`*[CRS]: ...`) at a line start.
_REF_DEFINITION = re.compile(r"^([ ]{0,3})\[(?=[^\]]*\]:)", re.M)
_ABBR_DEFINITION = re.compile(r"^[ ]{0,3}\*\[[^\]]*\][ ]?:", re.M)


def links_in(text: str) -> Iterator[tuple[str, str | None]]:
    """Every `[[target|label]]` in the text, as (target, label or None)."""
    for match in LINK.finditer(text):
        yield match.group(1).strip(), (match.group(2) or "").strip() or None


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in an href, lower-cased; None for a relative URL.

    As the WHATWG URL parser does: leading and trailing controls and spaces are dropped and tabs and
    newlines removed anywhere, so `java\tscript:` is `javascript:`. Entities must be decoded first."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return found.group(1).lower() if found else None


def safe_url(url: str) -> bool:
    """Whether prose may link to `url` (already entity-decoded): an absolute http(s) or mailto address."""
    return scheme_of(url) in SAFE_SCHEMES


class _Emitted(HTMLParser):
    """The URLs and images in a piece of HTML, with attribute values decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                (self.images if tag == "img" else self.links).append(value)


@functools.cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown()


def link_problems(text: str) -> list[str]:
    """What is wrong with the links prose would emit, judged on the HTML that Markdown renders from it
    (entity-encoded schemes, reference-style definitions and images included), in educators' words."""
    problems = []
    if _ABBR_DEFINITION.search(text):
        problems.append("prose cannot define an abbreviation (`*[X]: ...`); add the term to the glossary instead")
    if _REF_DEFINITION.search(text):
        problems.append(
            "reference-style link definitions (`[x]: address`) are not supported; write [words](https://...)"
        )
    if not _MAY_LINK.search(text):
        return problems
    plain = LINK.sub(lambda m: m.group(2) or m.group(1), text)  # [[links]] are the generator's own
    md = _markdown()
    try:
        escaped = escape_prose(plain, neutral=False)
        if problems:  # definitions are reported above: the links that use them are not reported again
            escaped = _REF_DEFINITION.sub(lambda m: m.group(1) + "\\[", escaped)
        rendered = md.reset().convert(escaped)
    finally:
        md.reset()
    found = _Emitted()
    found.feed(rendered)
    found.close()
    if found.images:
        problems.append("images are not allowed in prose: the page would load them from elsewhere")
    for url in found.links:
        if not safe_url(url):
            problems.append(
                f"link to `{url}` is not allowed; link with [[id]] to a page of the site, or to an http(s) address"
            )
    return problems


_HTML_CHARS = str.maketrans({"<": "&lt;", ">": "&gt;", "{": "&#123;", "}": "&#125;"})


def escape_prose(text: str, neutral: bool = True) -> str:
    """Neutralise raw HTML, attribute lists, template syntax and definitions while keeping Markdown.

    `<` and `>` become entities, so `<script>` shows as text; braces become entities, so
    `{: onclick=...}` (attr_list) and `{{ ... }}` stay literal. With `neutral`, images show as text
    and a line that would define a link reference or an abbreviation page-wide shows as text too."""
    text = text.translate(_HTML_CHARS)
    if neutral and ("[" in text):
        text = text.replace("![", "!\\[").replace("*[", "*\\[")
        text = _REF_DEFINITION.sub(lambda m: m.group(1) + "\\[", text)
    return text


def neutralise_urls(text: str) -> str:
    """Replace link targets prose may not use by `#` (validation reports them; this is defence in depth)."""

    def fix(match: re.Match[str]) -> str:
        return match.group(0) if safe_url(html.unescape(match.group(1))) else "](#"

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
        before = neutralise_urls(escape_prose(text[last : match.start()]))
        if before.endswith("!"):  # `![` would turn the link that follows into an image
            before = before[:-1] + "\\!"
        pieces.append(before)
        pieces.append(resolve(match.group(1).strip(), (match.group(2) or "").strip() or None))
        last = match.end()
    pieces.append(neutralise_urls(escape_prose(text[last:])))
    return "".join(pieces)


_TAG = re.compile(r"<([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta", "link"}
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background"}


def unsafe_html(text: str) -> list[str]:
    """What in a page's HTML could run a script or make a request to another host: forbidden
    elements, event handlers, script or data URLs, and anything loaded from elsewhere."""
    found = []
    for tag in _TAG.finditer(text):
        name = tag.group(1).lower()
        if name in _FORBIDDEN_TAGS:
            found.append(f"a <{name}> element")
        for attr in _ATTR.finditer(tag.group(2)):
            key, raw = attr.group(1).lower(), (attr.group(2) or "").strip("\"'")
            value = html.unescape(raw)
            if key.startswith("on"):
                found.append(f"an event handler ({key}) on <{name}>")
            elif key in _URL_ATTRS:
                scheme = scheme_of(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"a {scheme}: URL in <{name} {key}>")
                elif key != "href" and (scheme is not None or value.lstrip().startswith("//")):
                    found.append(f"<{name} {key}> loaded from another host ({value[:60]})")
            elif key == "style" and "url(" in value.lower():
                found.append(f"a style with url() on <{name}>")
    return found


def sentence(text: str) -> str:
    """Text ending in a full stop, as a reference's authors and title do ("et al." and "?" stay)."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."
