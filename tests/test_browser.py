"""What a trainee does in Chromium: sort the trials table, read abbreviations, load pages offline."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        ".kb-sortable table tbody tr", f"rows => rows.map(r => r.cells[{index}].textContent.trim())"
    )


def test_trials_table_sorts_by_phase_and_setting(page, site_url):
    page.goto(site_url + "blinatumomab/trials/")
    phase = page.get_by_role("button", name="Phase")
    phase.click()
    values = column(page, 1)
    assert values == sorted(values, key=str.casefold) and len(set(values)) > 3
    assert page.locator("th", has=phase).get_attribute("aria-sort") == "ascending"
    phase.click()
    assert column(page, 1) == sorted(values, key=str.casefold, reverse=True)
    assert page.locator("th", has=phase).get_attribute("aria-sort") == "descending"
    # keyboard alone: focus the Setting heading and press Enter
    setting = page.get_by_role("button", name="Setting")
    setting.focus()
    page.keyboard.press("Enter")
    settings = column(page, 2)
    assert settings == sorted(settings, key=str.casefold)
    assert page.locator("th[aria-sort]").count() == 1


def test_sorting_survives_instant_navigation_without_duplicate_buttons(page, site_url):
    page.goto(site_url + "blinatumomab/trials/")
    page.get_by_role("link", name="TOWER", exact=True).first.click()
    page.wait_for_url("**/trials/tower/")
    page.go_back()
    page.wait_for_url("**/trials/")
    page.wait_for_function("document.querySelectorAll('.kb-sortable th button').length > 0")
    assert page.locator(".kb-sortable th").count() == page.locator(".kb-sortable th button").count()
    assert page.locator(".kb-sortable th button button").count() == 0


@pytest.mark.parametrize("how", ["hover", "focus"])
def test_abbreviation_expands_on_hover_and_keyboard_focus(page, site_url, how):
    page.goto(site_url + "blinatumomab/adverse-reactions/cytokine-release-syndrome/")
    abbr = page.locator("article abbr", has_text="CRS").first
    if how == "hover":
        abbr.hover()
    else:
        page.wait_for_function("document.querySelector('article abbr').getAttribute('tabindex') === '0'")
        abbr.focus()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().strip() == "cytokine release syndrome"


@pytest.mark.parametrize("path", ["quizzes/quiz-toxicity/", "quizzes/quiz-comparators/"])
def test_each_abbreviation_is_one_tab_stop_per_section(page, site_url, path):
    """Every term stays reachable by keyboard in every section it is used in, but only its first
    occurrence there is a tab stop: a quiz page full of CRS is not 100 presses of Tab."""
    page.goto(site_url + "blinatumomab/" + path)
    page.wait_for_function("document.querySelector('article abbr[tabindex]') !== null")
    sections = page.evaluate("""() => {
        const out = []; let current = {shown: {}, stops: {}};
        out.push(current);
        document.querySelectorAll("article h2, article abbr[title]").forEach(node => {
            if (node.tagName === "H2") { current = {shown: {}, stops: {}}; out.push(current); return; }
            if (!node.getClientRects().length) return;  // inside a collapsed answer
            const term = node.textContent;
            current.shown[term] = (current.shown[term] || 0) + 1;
            if (node.getAttribute("tabindex") === "0") current.stops[term] = (current.stops[term] || 0) + 1;
        });
        return out;
    }""")
    shown = sum(n for s in sections for n in s["shown"].values())
    stops = sum(n for s in sections for n in s["stops"].values())
    assert all(s["stops"] == dict.fromkeys(s["shown"], 1) for s in sections), sections
    assert stops < shown  # there were repeats to leave out


def test_charts_have_an_accessible_name(page, site_url):
    page.goto(site_url + "blinatumomab/trials/")
    chart = page.get_by_role("figure", name="Relapsed/refractory: headline response rates, on a scale of 0 to 100%")
    assert chart.is_visible()
    row = chart.get_by_role("listitem").filter(has_text="TOWER").inner_text()
    assert " ".join(row.split()) == "TOWER Complete remission · Blinatumomab 34% (n = 271)"
    page.goto(site_url + "blinatumomab/pharmacology/blinatumomab-pharmacology/")
    assert page.get_by_role("img", name="dose by day of cycle").first.is_visible()


def test_no_page_requests_anything_from_another_host(browser, built_site, site_url):
    host = urlsplit(site_url).netloc
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).netloc != host else None)
    pages = sorted(p.parent.relative_to(built_site).as_posix() for p in Path(built_site).rglob("index.html"))
    assert len(pages) > 60
    for path in pages:
        page.goto(site_url + ("" if path == "." else path + "/"), wait_until="networkidle")
    context.close()
    assert outside == []
