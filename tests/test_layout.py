"""Every page finished and readable, at a desktop width (1280 px) and a phone's (375 px), in use (a
decision table with a rule applied, a quiz answered, My progress with answers): no box or collapsed
note without content, no table column left empty, chart text at least 11 CSS px and never cut off,
no table wider than the column at 1280 px, and on a phone no page that scrolls sideways and no
table that scrolls inside its box without showing it. Chart labels are checked for contrast in the
light and the dark scheme (axe-core, in test_quality.py, checks the rest of the text).

Each page is loaded once per width; the checks read what one probe found there. Run over the shared
build of the real knowledge base and over the mini fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import serve

from generator.devtools.screenshots import APPLY_RULE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
MIN_TEXT_PX = 11

#: Puts a page in use: each decision table given the inputs of a case of its first rule, every quiz
#: question answered (the first option, or "1") and checked. Resolves when that is done.
PREPARE = (
    """async () => {
  ("""
    + APPLY_RULE
    + """)();
  for (const q of document.querySelectorAll(".kb-quiz__q[data-question]")) {
    const choice = q.querySelector("input[type=radio], input[type=checkbox]");
    if (choice) choice.checked = true; else q.querySelector("input").value = "1";
    const check = [...q.querySelectorAll("button")].find(b => b.textContent === "Check");
    if (check) check.click();
  }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""
)

#: What a reader would notice on the page as it is now.
PROBE = """() => {
  const article = document.querySelector("article");
  const found = {emptyBoxes: [], emptyColumns: [], smallText: [], clipped: [], wideTables: [], silentScrollers: []};
  const shown = e => e.getClientRects().length > 0;
  const words = e => e.textContent.replace(/[\\s\\u00b6]+/g, "");
  const name = e => {
    const cls = e.getAttribute("class");
    return (e.id ? "#" + e.id : cls ? "." + cls.split(" ")[0] : e.tagName) + ": " + e.textContent.trim().slice(0, 40);
  };
  // boxes: an admonition or a <details> whose body (all but its title) holds nothing
  for (const box of article.querySelectorAll(".admonition, details")) {
    const body = [...box.children].filter(c => !c.matches(".admonition-title, summary"));
    if (!body.some(c => words(c) || c.querySelector("img, svg, input, table"))) found.emptyBoxes.push(name(box));
  }
  // tables: a column with no text in any body row
  for (const table of article.querySelectorAll("table")) {
    const rows = [...table.tBodies].flatMap(b => [...b.rows]);
    const columns = table.tHead ? table.tHead.rows[0].cells.length : 0;
    for (let i = 0; i < columns && rows.length; i++) {
      if (rows.every(r => !r.cells[i] || !words(r.cells[i]))) {
        found.emptyColumns.push(table.tHead.rows[0].cells[i].textContent.trim() + " in " + name(table));
      }
    }
  }
  // charts: every piece of text at least 11 CSS px, inside its chart, inside its bar where it sits on one
  found.chartTexts = 0;
  for (const chart of article.querySelectorAll(".kb-chart")) {
    const box = chart.getBoundingClientRect();
    const texts = [...chart.querySelectorAll("text, figcaption, p, span, li")].filter(e =>
      shown(e) && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()));
    found.chartTexts += texts.length;
    for (const e of texts) {
      const size = parseFloat(getComputedStyle(e).fontSize) * (e instanceof SVGElement ? e.getScreenCTM().a : 1);
      if (size < 11 - 0.01) found.smallText.push(`${name(e)} (${size.toFixed(1)} px)`);
      const r = e.getBoundingClientRect();
      let outer = box;
      if (e.matches(".kb-chart__step")) outer = e.previousElementSibling.getBoundingClientRect();
      const cut = r.left < outer.left - 1 || r.right > outer.right + 1 || r.top < outer.top - 1 ||
        r.bottom > outer.bottom + 1 || (!(e instanceof SVGElement) && e.scrollWidth > e.clientWidth + 1 &&
        getComputedStyle(e).overflowX !== "visible");
      if (cut) found.clipped.push(name(e));
    }
    const svg = chart.querySelector("svg.kb-chart__svg");
    if (svg && svg.getBoundingClientRect().width > box.width + 1) found.clipped.push("the picture of " + name(chart));
  }
  // widths: no table wider than the column; the page itself not wider than the window
  const column = article.getBoundingClientRect();
  for (const table of article.querySelectorAll("table")) {
    const w = table.getBoundingClientRect().width;
    if (shown(table) && w > column.width + 1) {
      found.wideTables.push(`${name(table)} (${Math.round(w)} > ${Math.round(column.width)})`);
    }
  }
  // (a phone zooms out to fit a page wider than itself, which makes innerWidth grow: use the screen's)
  found.pageWidth = [document.documentElement.scrollWidth, Math.min(window.innerWidth, screen.width)];
  // a box that scrolls sideways shows that it does: kb-scrolls, the edge faded, the line under it
  for (const e of article.querySelectorAll("*")) {
    const style = getComputedStyle(e);
    if (!["auto", "scroll"].includes(style.overflowX) || e.scrollWidth <= e.clientWidth + 1 || !shown(e)) continue;
    const hint = (e.matches("pre > code") ? e.parentElement : e).nextElementSibling;
    const faded = (style.maskImage || style.webkitMaskImage || "none") !== "none";
    const said = hint && hint.matches(".kb-scrolls__hint") && shown(hint) && hint.textContent.trim();
    if (!e.classList.contains("kb-scrolls") || !faded || !said) found.silentScrollers.push(name(e));
  }
  return found;
}"""

#: The contrast of each chart label with what is behind it (its bar, or the page).
CONTRAST = """() => {
  // a colour over the page's: rgba() mixed with what shows through it
  const rgb = (c, under) => {
    const [r, g, b, a = 1] = (c.match(/[\\d.]+/g) || [0, 0, 0]).map(Number);
    return under ? [r, g, b].map((v, i) => v * a + under[i] * (1 - a)) : [r, g, b];
  };
  const page = rgb(getComputedStyle(document.body).backgroundColor);
  const lum = c => {
    const linear = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(c, page).map(linear);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const low = [];
  for (const t of document.querySelectorAll(".kb-chart svg text")) {
    const behind = t.matches(".kb-chart__step") ? getComputedStyle(t.previousElementSibling).fill : "rgb(" + page + ")";
    const r = ratio(getComputedStyle(t).fill, behind);
    if (r < 4.5) low.push(`${t.textContent} (${r.toFixed(2)})`);
  }
  return low;
}"""


def site_pages(site: Path) -> list[str]:
    """Every page, My progress last (it shows the answers given on the quiz pages before it)."""
    pages = sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )
    return sorted(pages, key=lambda p: p.endswith("/progress/"))


def probe_site(browser, site: Path, url: str, viewport: dict) -> dict[str, dict]:
    """path -> what PROBE found there, with the page in use."""
    context = browser.new_context(
        viewport=viewport, is_mobile=viewport["width"] < 600, has_touch=viewport["width"] < 600
    )
    page = context.new_page()
    found = {}
    for path in site_pages(site):
        page.goto(url + path)
        page.evaluate(PREPARE)
        found[path] = page.evaluate(PROBE)
    context.close()
    return found


@pytest.fixture(scope="module", params=["mini", "real"])
def site(request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    """(folder, URL) of a built site: the mini fixture's, then the shared build of the real data."""
    built = request.getfixturevalue("mini_site" if request.param == "mini" else "built_site")
    server, url = serve(built)
    yield built, url
    server.shutdown()


@pytest.fixture(scope="module")
def probed(browser, site) -> dict[str, dict[str, dict]]:
    """width name -> path -> findings."""
    folder, url = site
    return {width: probe_site(browser, folder, url, viewport) for width, viewport in WIDTHS.items()}


def where(probed: dict, key: str, widths: tuple[str, ...] = tuple(WIDTHS)) -> dict[str, list]:
    return {f"{w} {path}": found[key] for w in widths for path, found in probed[w].items() if found[key]}


def test_no_box_or_collapsed_note_is_empty(probed):
    assert where(probed, "emptyBoxes") == {}


def test_no_table_has_an_empty_column(probed):
    assert where(probed, "emptyColumns") == {}


def test_chart_text_is_at_least_11_px_and_never_cut_off(probed):
    assert sum(found["chartTexts"] for found in probed["phone"].values()) > 10  # there were charts to check
    assert where(probed, "smallText") == {}
    assert where(probed, "clipped") == {}


def test_no_table_is_wider_than_the_column_on_a_desktop(probed):
    assert where(probed, "wideTables", ("desktop",)) == {}


def test_no_page_scrolls_sideways_on_a_phone(probed):
    widths = {path: found["pageWidth"] for path, found in probed["phone"].items()}
    assert {path: (page, screen) for path, (page, screen) in widths.items() if page > screen} == {}


def test_a_table_that_scrolls_inside_its_box_shows_it(probed):
    assert where(probed, "silentScrollers") == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_labels_stand_out_from_their_background(browser, site, probed, scheme):
    _, url = site
    charts = [path for path, found in probed["desktop"].items() if found["chartTexts"]]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    low = {}
    for path in charts:
        page.goto(url + path)
        low[path] = page.evaluate(CONTRAST)
    context.close()
    assert charts and {path: found for path, found in low.items() if found} == {}
