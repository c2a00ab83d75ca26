"""Every shipped decision table driven through each of its rules in Chromium, and without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, axe_violations, review_of

from generator.render import PageContext

pytestmark = pytest.mark.browser
KB = review_of(ROOT / "data", "blinatumomab", ROOT)
TABLES = KB.items("decision_tables")


def table_url(site_url: str, table_id: str) -> str:
    return f"{site_url}{KB.review.id}/decisions/{table_id}/"


def set_inputs(page, table, case: dict) -> None:
    box = page.locator(f'[data-decision-table="{table.id}"]')
    for inp in table.inputs:
        control = box.locator(f'[name="{inp.id}"]')
        value = case[inp.id]
        if inp.type == "enum":
            control.select_option(str(value))
        elif inp.type == "boolean":
            control.set_checked(bool(value))
        else:
            control.fill(f"{value:g}")


def expected_outputs(table, rule) -> list[str]:
    ctx = PageContext(KB, "x.md")
    return [ctx.text(text) if text != "-" else "—" for text in rule.then.values()]


@pytest.mark.parametrize("table", TABLES, ids=[t.id for t in TABLES])
def test_each_rule_is_highlighted_and_announced(page, site_url, table):
    page.goto(table_url(site_url, table.id))
    report = KB.reports[table.id]
    status = page.locator(f'[data-decision-table="{table.id}"] [role="status"]')
    for number, rule in enumerate(table.rules, 1):
        set_inputs(page, table, report.witnesses[rule.id])
        matched = page.locator(f'[data-decision-table="{table.id}"] tr[data-match]')
        assert matched.count() == 1, rule.id
        assert matched.get_attribute("data-rule") == rule.id
        announced = status.inner_text()
        assert f"Rule {number} applies." in announced, (rule.id, announced)
        for text in expected_outputs(table, rule):
            assert text in announced, (rule.id, text)
        # the reason and its citation links come along
        if rule.refs:
            assert status.locator("a[href*='references/#ref-']").count() == len(set(rule.refs))


def test_without_javascript_the_table_still_reads(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for table in TABLES:
        page.goto(table_url(site_url, table.id))
        box = page.locator(f'[data-decision-table="{table.id}"]')
        assert box.locator("caption").inner_text().startswith(table.title)
        assert box.locator("tbody tr[data-rule]").count() == len(table.rules)
        assert box.locator("select, input").count() == 0
        assert page.locator(f"#why-{table.rules[0].id}").count() == 1
    context.close()


def test_out_of_domain_number_gets_a_message(page, site_url):
    page.goto(table_url(site_url, "renal-hepatic-dosing"))
    page.select_option('[name="organ"]', "kidney")
    page.fill('[name="crcl"]', "300")
    status = page.locator('[data-decision-table="renal-hepatic-dosing"] [role="status"]')
    assert "Creatinine clearance must be a number from 0 to 250 mL/min." in status.inner_text()
    assert page.locator("tr[data-match]").count() == 0
    assert page.get_attribute('[name="crcl"]', "aria-invalid") == "true"
    page.fill('[name="crcl"]', "45")
    assert page.locator("tr[data-match]").get_attribute("data-rule") == "moderate"


def test_state_is_kept_in_the_url_and_survives_reload(page, site_url):
    page.goto(table_url(site_url, "neurotoxicity-management"))
    page.select_option('[name="grade"]', "3")
    page.select_option('[name="seizures"]', "one")
    page.fill('[name="days-to-resolve"]', "2")
    page.select_option('[name="setting"]', "relapsed or refractory")
    url = page.evaluate("location.href")
    assert "dt.neurotoxicity-management.grade=3" in url and "days-to-resolve=2" in url
    page.goto(url)
    assert page.input_value('[name="seizures"]') == "one"
    assert page.locator("tr[data-match]").get_attribute("data-rule") == "grade-3-seizure"


def test_keyboard_alone(page, site_url):
    page.goto(table_url(site_url, "crs-management"))
    select = page.locator('[name="grade"]')
    select.focus()
    for _ in range(3):  # "Choose…" -> 1 -> 2 -> 3
        page.keyboard.press("ArrowDown")
    assert page.input_value('[name="grade"]') == "3"
    page.keyboard.press("Tab")  # on to the setting: grade 3 restarts differently by setting
    assert page.evaluate("document.activeElement.getAttribute('name')") == "setting"
    page.keyboard.press("ArrowDown")  # "Choose…" -> relapsed or refractory
    assert page.input_value('[name="setting"]') == "relapsed or refractory"
    assert page.locator("tr[data-match]").get_attribute("data-rule") == "grade-3"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('name')") != "setting"


def test_instant_navigation_initialises_once(page, site_url):
    page.goto(table_url(site_url, "crs-management"))
    page.locator("article a[href*='adverse-reactions/cytokine-release-syndrome/']").first.click()
    page.wait_for_url("**/cytokine-release-syndrome/")
    page.locator("article a[href*='decisions/crs-management/']").first.click()
    page.wait_for_url("**/decisions/crs-management/")
    page.wait_for_selector('[name="grade"]')
    assert page.locator("[data-decision-table] form").count() == 1
    assert page.locator('[data-decision-table] [role="status"]').count() == 1
    page.select_option('[name="grade"]', "4")
    assert page.locator("tr[data-match]").get_attribute("data-rule") == "grade-4"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_decision_table_pages_pass_axe(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    for table in TABLES:
        page.goto(table_url(site_url, table.id))
        set_inputs(page, table, KB.reports[table.id].witnesses[table.rules[-1].id])
        assert axe_violations(page) == [], table.id
    context.close()


def test_assets_are_static_files_within_budget(built_site):
    import gzip

    assets = built_site / "assets" / "kb-site"
    scripts = [assets / "kb-core.js", assets / "decision-table.js", assets / "kb.css"]
    size = sum(len(gzip.compress(Path(p).read_bytes(), 9)) for p in scripts)
    assert size <= 8 * 1024, size
    page = (built_site / KB.review.id / "decisions" / "crs-management" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../../../assets/kb-site/decision-table.js"></script>' in page
