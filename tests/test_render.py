"""What the renderer writes: table cells that survive any prose, and pages that need no review."""

from __future__ import annotations

import re

import markdown
from conftest import edit

from generator.build import load_build


def test_a_pipe_in_prose_stays_inside_its_table_cell(data):
    edit(
        data,
        "examplumab/entities.yaml",
        'action: "Observe; **no** interruption."',
        'action: "Observe | wait; **no** interruption."',
    )
    edit(data, "examplumab/entities.yaml", "text: Not studied.", 'text: "Not | studied."')
    pages = load_build(data, data.parent, workers=1).pages
    for path, words in [
        ("examplumab/adverse-reactions/fever.md", "Observe | wait"),
        ("examplumab/pharmacology/examplumab-pharmacology.md", "Not | studied."),
    ]:
        html = markdown.markdown(pages[path].split("---", 2)[2], extensions=["tables", "md_in_html"])
        needle = words.split("| ")[1]
        table = next(t for t in html.split("<table>") if needle in t)
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
        row = next(r for r in rows if needle in r)
        assert row.count("<td") == rows[0].count("<th"), row
        assert words in re.sub(r"<[^>]+>", "", row.replace("&#124;", "|"))


def test_the_authoring_guide_documents_every_field_and_the_how_tos():
    from conftest import MINI_DATA

    from generator.sections import data_file_schema

    guide = load_build(MINI_DATA, MINI_DATA.parent, workers=1).pages["authoring-guide.md"]
    schema = data_file_schema()
    for model, spec in schema["$defs"].items():
        assert f"### {model} {{ #{model.lower()} }}" in guide, model
        for field, prop in spec["properties"].items():
            assert f"| `{field}` |" in guide and prop["description"].split("{")[0][:20] in guide, (model, field)
    for key in schema["properties"]:
        assert f"| `{key}` |" in guide
    for how in ("Add a figure", "Add a trial", "Add a question", "Add a decision table", "Add a second review"):
        assert f"### {how}" in guide
    assert "405 patients patients" in guide  # what `[[x/y]] patients` would print


def test_a_reference_reads_authors_title_journal_with_full_stops_between(data):
    edit(
        data,
        "examplumab/entities.yaml",
        "{number: 2, authors: [{family: Roe, given: R.}], title: A second paper., journal: J Tests, year: 2021}",
        '{number: 2, authors: [{family: Roe, given: R}], et_al: true, title: "Is it a second paper?", '
        "journal: J Tests, year: 2021}",
    )
    edit(
        data,
        "examplumab/entities.yaml",
        "authors: [{family: Doe, given: J.}], title: A first paper.,",
        "authors: [{family: Doe, given: J}], title: A paper,",
    )
    page = load_build(data, data.parent, workers=1).pages["examplumab/references.md"]
    assert "Doe J. A paper. *J Tests*. 2020;1:1." in page
    assert "Roe R, et al. Is it a second paper? *J Tests*. 2021." in page


def test_decision_table_pages_speak_to_clinicians_and_keep_the_check_for_educators(data):
    """'hit policy', the verifier's counts and conditions that repeat an input's range stay out of
    what a trainee reads; the detail is in a collapsed note for educators."""
    edit(data, "examplumab/decisions.yaml", 'when: {grade: "3"}', 'when: {grade: "3", temperature: "<= 7"}')
    edit(
        data,
        "examplumab/decisions.yaml",
        "    examples:",
        '      - id: severe-long\n        when: {grade: "3", temperature: "> 7"}\n        then: {action: Stop}\n'
        "        rationale: Not addressed by the review.\n        refs: [2]\n    examples:",
    )
    page = load_build(data, data.parent, workers=1).pages["examplumab/decisions/fever-by-grade.md"]
    trainee, _, educators = page.partition('??? note "For educators: how this table was checked"')
    educators = educators.split("\n\n")[0]
    for jargon in ("hit policy", "verified at build time", "cases checked"):
        assert jargon not in trainee.lower(), jargon
    assert "Verified at build time: complete, no overlaps" in educators and "hit policy" in educators
    assert "<caption>Fever by grade: 3 rules</caption>" in trainee
    assert '<td data-label="Temperature">&gt;7 days</td>' in trainee  # not "> 7 and <= 10 days"
    assert "**Rule 2:** Fever grade: 3; Temperature: ≤7 days → Action: Interrupt" in trainee
    assert "**Rule 3:** Fever grade: 3; Temperature: &gt;7 days → Action: Stop." in trainee
