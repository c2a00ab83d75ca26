"""Every internal link and anchor of a built site, checked on the HTML files themselves.

    python -m generator.devtools.linkcheck SITE_DIR

Independent of the engine that built the folder (MkDocs, ProperDocs...): each href and src of
every page (navigation, footer and template links included) that points inside the site must
name a file that exists, and each #fragment an id (or a name) on the page it points to. Links to
other hosts are not followed (the site works offline; they are checked elsewhere for not loading
anything). Prints `page: link: what is wrong` per broken link and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import functools
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINKING = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("area", "href")}


class _Page(HTMLParser):
    """The links a page makes and the anchors it offers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)
            if (tag, name) in _LINKING:
                self.links.append(value)


@functools.cache
def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def _target(site: Path, page: Path, path: str) -> Path | None:
    """The file a link's path leads to, as a static web server would find it; None when none."""
    base = site if path.startswith("/") else page.parent
    candidate = (base / unquote(path.lstrip("/"))).resolve()
    if not candidate.is_relative_to(site.resolve()):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def broken_links(site: Path) -> list[str]:
    """`page: link: what is wrong` for every internal link or anchor of the site that leads nowhere."""
    _parse.cache_clear()
    found = []
    for page in sorted(site.rglob("*.html")):
        shown = page.relative_to(site).as_posix()
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue  # another host (or not a place at all)
            target = page if not parts.path else _target(site, page, parts.path)
            if target is None:
                found.append(f"{shown}: {link}: no such file in the site")
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).anchors:
                found.append(f"{shown}: {link}: no element with id `{unquote(parts.fragment)}` there")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linkcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder")
    args = parser.parse_args(argv)
    problems = broken_links(args.site)
    for line in problems:
        print(line)
    print(f"{len(problems)} broken link{'s' if len(problems) != 1 else ''} in {args.site}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
