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
