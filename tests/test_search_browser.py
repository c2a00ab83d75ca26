"""The site's search, as a trainee uses it: content pages before the quizzes that name the same
thing, and decision tables found by their rules in words, not by cells run together."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def results(page, url: str, query: str) -> list[str]:
    """The pages the search lists for `query`, in its order (one entry per page)."""
    page.goto(url)
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=30)
    page.locator(".md-search-result__item").first.wait_for(state="attached")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    return list(dict.fromkeys(h.split("?")[0].split("#")[0].removeprefix(url) for h in hrefs))


def content_before_quizzes(found: list[str]) -> bool:
    quizzes = [i for i, path in enumerate(found) if "/quizzes/" in path]
    content = [i for i, path in enumerate(found) if "/quizzes/" not in path]
    return bool(quizzes and content) and max(content) < min(quizzes)


def test_content_pages_rank_above_quizzes_on_the_mini_site(page, mini_url):
    url = mini_url
    found = results(page, url, "antigen")
    assert found[0] == "examplumab/comparison/" and content_before_quizzes(found), found


def test_content_pages_rank_above_quizzes(page, site_url):
    found = results(page, site_url, "tocilizumab")
    assert content_before_quizzes(found), found


def test_a_decision_table_is_found_by_its_rules_in_words(mini_site):
    site = mini_site
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = " ".join(d["text"] for d in docs if d["location"].startswith("examplumab/decisions/fever-by-grade/"))
    assert "Rule 1: Fever grade: 1 or 2 → Action: Observe; restart dose 5 µg/day." in " ".join(text.split())
    assert "1 or 2any" not in text and "Fever by grade: 2 rules" not in text  # the widget's table is left out
