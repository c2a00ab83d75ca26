"""The built site: strict build with the link checker, a page per entity, escaping, determinism."""

from __future__ import annotations

import filecmp
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MINI_DATA, ROOT, make_project, mkdocs_build, review_of

from generator import sections
from generator.build import load_build
from generator.values import format_value

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kb():
    kb = review_of(ROOT / "data", "blinatumomab", ROOT)
    return kb


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_every_entity_has_a_page_with_its_figures(built_site, kb):
    for row in sections.with_pages():
        for item in kb.items(row.key):
            body = page(built_site, f"{kb.review.id}/{row.page_of(item.id).removesuffix('.md')}")
            assert html.escape(item.title, quote=False) in body, (row.key, item.id)
    for trial in kb.items("trials"):
        body = text_of(page(built_site, f"{kb.review.id}/trials/{trial.id}"))
        for outcome in trial.outcomes:
            assert format_value(outcome.value) in body, (trial.id, outcome.id)


def test_overview_pages_exist(built_site, kb):
    for path in [
        "",
        "trials",
        "adverse-reactions",
        "comparison",
        "references",
        "glossary",
        "indications",
        "open-questions",
        "therapies",
        "pharmacology",
        "background",
    ]:
        assert (built_site / kb.review.id / path / "index.html").exists(), path
    assert (built_site / "index.html").exists()


def test_every_page_has_description_disclaimer_and_attribution(built_site, kb):
    pages = list(built_site.rglob("index.html"))
    assert len(pages) > 60
    for path in pages:
        body = path.read_text(encoding="utf-8")
        assert re.search(r'<meta name="description" content="[^"]{20,}">', body), path
        assert "Educational material for trainees, not clinical guidance" in body, path
        assert "CC BY-NC 3.0" in body and "doi.org/10.2147/BLCTT.S223894" in body, path


def test_citations_link_to_the_references_and_back(built_site, kb):
    trial = page(built_site, f"{kb.review.id}/trials/tower")
    assert 'href="../../references/#ref-18"' in trial
    refs = page(built_site, f"{kb.review.id}/references")
    item = refs[refs.index('id="ref-18"') : refs.index('id="ref-19"')]
    assert 'href="../trials/tower/"' in item
    assert "doi.org/10.1056/NEJMoa1609783" in item


def test_pages_list_what_links_to_them(built_site, kb):
    body = page(built_site, f"{kb.review.id}/indications/mrd-positive")
    assert 'href="../../trials/blast/"' in body
    blast = page(built_site, f"{kb.review.id}/trials/blast")
    assert "Linked from" in blast and 'href="../../indications/mrd-positive/"' in blast


def test_abbreviations_expand_on_generated_and_handwritten_pages(built_site, kb):
    crs = next(t for t in kb.glossary if t.term == "CRS")
    tag = f'<abbr title="{html.escape(crs.expansion)}">CRS</abbr>'
    assert tag in page(built_site, f"{kb.review.id}/adverse-reactions/cytokine-release-syndrome")
    # every page that says CRS expands it (a bare "CRS" outside an <abbr> would be a miss)
    said = 0
    for path in (
        "trials/tower",
        "decisions/crs-management",
        "quizzes/quiz-toxicity",
        "adverse-reactions/neurotoxicity",
    ):
        body = page(built_site, f"{kb.review.id}/{path}")
        article = body[body.index("<article") : body.index("</article>")]
        text = re.sub(r"<(script|svg)\b.*?</\1>", "", article, flags=re.S)
        bare = re.sub(r"<abbr[^>]*>CRS</abbr>", "", text)
        if "CRS" in text_of(text):
            said += 1
            assert tag in article and not re.search(r">[^<]*\bCRS\b[^<]*<", bare), path
    assert said >= 2


def test_charts_are_inline_accessible_svg(built_site, kb):
    body = page(built_site, f"{kb.review.id}/pharmacology/blinatumomab-pharmacology")
    chart = "timeline-rr-regimen"
    svg = re.search(rf'<figure class="kb-chart" id="{chart}">(.*?)</figure>', body, re.S)
    assert svg, chart
    assert 'role="img"' in svg.group(1) and f'aria-labelledby="{chart}-title {chart}-desc"' in svg.group(1)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg.group(1)).group(1)
    assert len(desc) > 40
    assert "9 µg/day" in body and "28 µg/day" in body


def test_response_rates_read_as_text_row_by_row(built_site, kb):
    """The response-rate chart is HTML a screen reader reads as rows of words; its bars are hidden from it."""
    body = page(built_site, f"{kb.review.id}/trials")
    chart = re.search(
        r'<figure class="kb-chart kb-bars" id="response-rates-relapsed-refractory">(.*?)</figure>', body, re.S
    )
    assert chart
    rows = re.findall(r'<li class="kb-bars__row">(.*?)</li>', chart.group(1), re.S)
    assert len(rows) >= 3 and all('<svg class="kb-bars__track"' in r and 'aria-hidden="true"' in r for r in rows)
    words = " ".join(text_of(r) for r in rows)
    assert "TOWER Complete remission · Blinatumomab" in " ".join(words.split())
    assert "34% (n = 271)" in words


def test_no_resource_is_loaded_from_another_host(built_site):
    for path in built_site.rglob("*.html"):
        body = path.read_text(encoding="utf-8")
        assert not re.search(r'<(script|img|iframe|source)[^>]+src="(https?:)?//', body), path
        assert not re.search(r'<link[^>]+href="(https?:)?//', body), path
        assert "fonts.googleapis" not in body and "fonts.gstatic" not in body, path


def test_two_builds_give_identical_files(built_site, tmp_path):
    project = make_project(tmp_path / "again")
    assert mkdocs_build(project, linkcheck=False).returncode == 0
    compare = filecmp.dircmp(built_site, project / "site")
    differing: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str = "") -> None:
        differing.extend(prefix + n for n in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(compare)
    assert differing == []


# --- the link checker -------------------------------------------------------------------------------

PLANTED = {
    "link": '<p><a href="../examplumab/trials/no-such-trial/">broken page</a></p>',
    "anchor": '<p><a href="../examplumab/trials/trial-a/#no-such-anchor">broken anchor</a></p>',
}


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_link_checker_fails_on_a_planted_broken_link_in_html(tmp_path, kind):
    project = make_project(tmp_path / "p", MINI_DATA)
    (project / "content" / "planted.md").write_text(f"# Planted\n\n{PLANTED[kind]}\n", encoding="utf-8")
    # MkDocs' own --strict checks only Markdown links, so it lets HTML links through ...
    assert mkdocs_build(project, linkcheck=False).returncode == 0
    # ... and the link checker of `make test`, which reads the built HTML, does not.
    result = mkdocs_build(project)
    assert result.returncode != 0
    expected = "no such file in the site" if kind == "link" else "no element with id `no-such-anchor` there"
    assert f"planted/index.html: {PLANTED[kind].split(chr(34))[1]}: {expected}" in result.stderr


def test_link_checker_passes_the_clean_mini_site_and_the_build_reports_the_generator(tmp_path):
    project = make_project(tmp_path / "p", MINI_DATA)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    # the plugin says how many pages it generated and how long its own work took (make bench reads it)
    generated = len(load_build(project / "data", project).pages)
    pattern = r"INFO +- +generator: (\d+) pages generated from data/ \(1 review, 1 process\) in (\d+\.\d\d) s"
    report = re.findall(pattern, result.stderr)
    assert len(report) == 1 and int(report[0][0]) == generated, result.stderr
    assert 0 < float(report[0][1]) < 600


# --- text from YAML never becomes markup ------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._in_script = tag == "script"
        self.handlers += [(tag, k) for k, _ in attrs if k.startswith("on")]

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def test_hostile_text_in_yaml_is_shown_as_text(tmp_path):
    project = make_project(tmp_path / "p", MINI_DATA)
    data = project / "data" / "examplumab" / "entities.yaml"
    text = data.read_text(encoding="utf-8")
    text = text.replace(
        "    title: TRIAL-A (examplumab versus chemotherapy)",
        "    title: \"</title><script>alert('t')</script> &lt;/title&gt;&lt;script&gt;alert('e')&lt;/script&gt;\"",
    ).replace(
        "    population: Adults with relapsed disease.",
        "    population: |\n"
        "      <script>alert('s')</script>\n\n"
        '      Adults <img src="x" onerror="alert(\'i\')"> {{ config.site_name }}\n'
        "      {: onclick=\"alert('a')\" }\n\n"
        '      --8<-- "mkdocs.yml"\n',
    )
    data.write_text(text, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    for path in (project / "site").rglob("*.html"):
        parser = _Elements()
        parser.feed(path.read_text(encoding="utf-8"))
        assert not [s for s in parser.scripts if "alert(" in s], path
        assert not parser.handlers, (path, parser.handlers)
    body = page(project / "site", "examplumab/trials/trial-a")
    shown = text_of(body)
    assert "<script>alert('s')</script>" in shown and '<img src="x" onerror="alert(\'i\')">' in shown
    assert "{{ config.site_name }}" in shown and "{: onclick=" in shown
    assert "site_name:" not in body  # the snippet syntax included nothing
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "<" not in title and "alert('t')" in html.unescape(title)


def test_clinical_pages_link_to_their_decision_tables_and_back(built_site, kb):
    for table in kb.items("decision_tables"):
        table_page = page(built_site, f"{kb.review.id}/decisions/{table.id}")
        assert f'data-decision-table="{table.id}"' in table_page
        assert table_page.count("data-rule=") == len(table.rules)
        assert "Verified at build time: complete" in table_page
        for about in table.about:
            target = kb.targets[about].page.removesuffix(".md").removesuffix("index")
            served = page(built_site, f"{kb.review.id}/{target}".rstrip("/"))
            assert f"decisions/{table.id}/" in served, (table.id, about)
