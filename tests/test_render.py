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


def test_a_reference_reads_authors_title_journal_with_full_stops_between(data):
    edit(
        data,
        "examplumab/entities.yaml",
        "{number: 2, authors: Roe R., title: A second paper., journal: J Tests, year: 2021}",
        '{number: 2, authors: "Roe R, et al.", title: "Is it a second paper?", journal: J Tests, year: 2021}',
    )
    edit(data, "examplumab/entities.yaml", "authors: Doe J., title: A first paper.,", "authors: Doe J, title: A paper,")
    page = load_build(data, data.parent, workers=1).pages["examplumab/references.md"]
    assert "Doe J. A paper. *J Tests*. 2020;1:1." in page
    assert "Roe R, et al. Is it a second paper? *J Tests*. 2021." in page
