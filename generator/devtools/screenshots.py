"""`make screenshots`: the pages a trainee looks at first, as PNG files to review by eye.

    python -m generator.devtools.screenshots [--site site] [--out build/screenshots] [--review ID]

For one review of a built site (the first with quizzes, or --review): the home page, a trial, the
adverse-reaction overview, a decision table with a rule applied, a quiz with feedback shown and My
progress after those answers, each at 1280 px and 375 px wide and in the light and dark schemes,
whole pages. The site is served on 127.0.0.1 and driven in Debian's Chromium through Playwright.
A review aid, not a test: it asserts nothing. Files are written to build/screenshots/ (not committed).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent  # the project
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
SCHEMES = ("light", "dark")

#: Gives each decision table of the page the inputs of a case of its first rule.
APPLY_RULE = """() => {
  for (const box of document.querySelectorAll("[data-decision-table]")) {
    const data = JSON.parse(box.dataset.rules), rule = data.rules[0];
    for (const input of data.inputs) {
      const control = box.querySelector(`[name="${input.id}"]`), c = rule.when[input.id];
      if (!control) continue;
      if (input.type === "boolean") control.checked = c ? c.is : false;
      else if (input.type === "enum") control.value = c ? c.in[0] : input.values[0];
      else control.value = c ? (c.lowClosed ? c.low : (c.low + c.high) / 2) : input.min;
      control.dispatchEvent(new Event("change", {bubbles: true}));
    }
  }
}"""

#: Answers the first questions of a quiz page (the first option, or "1") and checks them.
ANSWER = """(count) => {
  [...document.querySelectorAll(".kb-quiz__q[data-question]")].slice(0, count).forEach(q => {
    const choice = q.querySelector("input[type=radio], input[type=checkbox]");
    if (choice) choice.checked = true; else q.querySelector("input").value = "1";
    [...q.querySelectorAll("button")].find(b => b.textContent === "Check").click();
  });
}"""


#: Resolves once the page has drawn what the widgets did.
SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _review(site: Path, wanted: str | None) -> str | None:
    """The review to show: `wanted`, else the first (by name) that has quizzes."""
    reviews = sorted(p.parents[2].name for p in site.glob("*/quizzes/progress/index.html"))
    if wanted is not None:
        return wanted if wanted in reviews else None
    return reviews[0] if reviews else None


def _largest(folder: Path) -> str | None:
    """The item of a section with the fullest page (the trial with the most to show)."""
    pages = list(folder.glob("*/index.html"))
    return max(pages, key=lambda p: (p.stat().st_size, p.parent.name)).parent.name if pages else None


def _first(folder: Path, but: tuple[str, ...] = ()) -> str | None:
    """The first item of a section by name (a module, not My progress)."""
    items = sorted(p.parent.name for p in folder.glob("*/index.html") if p.parent.name not in but)
    return items[0] if items else None


def shots(site: Path, review: str) -> list[tuple[str, str, Any]]:
    """(name, page, what to do there first) of each screenshot."""
    found: list[tuple[str, str, Any]] = [("home", "", None)]
    trial = _largest(site / review / "trials")
    if trial:
        found.append(("trial", f"{review}/trials/{trial}/", None))
    if (site / review / "adverse-reactions" / "index.html").exists():
        found.append(("adverse-reactions", f"{review}/adverse-reactions/", None))
    table = _first(site / review / "decisions")
    if table:
        found.append(("decision-table", f"{review}/decisions/{table}/", lambda page: page.evaluate(APPLY_RULE)))
    quiz = _first(site / review / "quizzes", but=("progress",))
    if quiz:
        found.append(("quiz", f"{review}/quizzes/{quiz}/", lambda page: page.evaluate(ANSWER, 3)))
    found.append(("progress", f"{review}/quizzes/progress/", None))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--review", default=None)
    args = parser.parse_args(argv)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    review = _review(args.site, args.review) if (args.site / "index.html").exists() else None
    if review is None or chromium is None:
        print("needs a built site with a review that has quizzes (make site) and Chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    args.out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
            for scheme in SCHEMES:
                for width, viewport in VIEWPORTS.items():
                    phone = viewport["width"] < 600
                    # one context per width and scheme: the quiz's answers are there for My progress
                    context = browser.new_context(
                        viewport=viewport, color_scheme=scheme, is_mobile=phone, has_touch=phone
                    )
                    page = context.new_page()
                    for name, path, action in shots(args.site, review):
                        page.goto(base + path)
                        if action is not None:
                            action(page)
                        page.evaluate(SETTLED)
                        out = args.out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(out), full_page=True)
                        written.append(out)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    for out in written:
        print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
