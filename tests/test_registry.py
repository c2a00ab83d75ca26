"""Adding a kind of entity takes one model, one row of the section registry and one template."""

from __future__ import annotations

import shutil

from conftest import MINI_DATA, edit

from generator import schema, sections
from generator.build import load_build
from generator.problems import DataError


class Interaction(schema.Entity):
    """A drug interaction: a kind the generator has never heard of."""

    drug: str
    effect: schema.Prose


def test_a_new_kind_is_validated_paged_navigated_and_linked(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "interactions.md.j2").write_text(
        "# {{ title }}\n\n{{ c.prose(item.summary) }}{{ c.cite(item.refs) }}\n\nWith {{ item.drug }}: "
        "{{ c.prose(item.effect) }}\n",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    (data / "examplumab" / "interactions.yaml").write_text(
        "interactions:\n"
        "  - id: warfarin\n"
        "    title: Warfarin\n"
        "    summary: Watch the clotting time with [[examplumab]].\n"
        "    refs: [2]\n"
        "    drug: warfarin\n"
        "    effect: Not addressed by the review.\n",
        encoding="utf-8",
    )
    edit(data, "examplumab/entities.yaml", "    summary: Unknown.", "    summary: See [[warfarin]].")
    row = sections.Section("interactions", Interaction, "interactions", "Drug interactions", "Interactions")
    with sections.extended(row, templates=templates):
        build = load_build(data, data.parent, workers=1)
        schema_file = sections.data_file_schema()
    page = build.pages["examplumab/interactions/warfarin.md"]
    assert "With warfarin: Not addressed by the review." in page
    assert "[Examplumab](../therapies/examplumab.md)" in page
    assert "[Interactions](interactions/index.md) | 1 page" in build.pages["examplumab/index.md"]
    assert build.pages["examplumab/interactions/index.md"].count("# Drug interactions") == 1
    assert "[Warfarin](../interactions/warfarin.md)" in build.pages["examplumab/open-questions/best-sequence.md"]
    (review_nav,) = [entry for entry in build.nav if "Examplumab" in str(entry)]
    headings = [next(iter(e)) for e in next(iter(review_nav.values()))]
    assert headings.index("Interactions") < headings.index("Test yourself")
    assert "interactions" in schema_file["properties"]
    # validated like every other kind: an unknown field is reported at its line
    (data / "examplumab" / "interactions.yaml").write_text(
        "interactions:\n  - {id: x, title: X, summary: S, refs: [], drug: d, effect: e, colour: red}\n"
    )
    with sections.extended(row, templates=templates):
        try:
            load_build(data, data.parent, workers=1)
        except DataError as err:
            found = [str(p) for p in err.problems]
    assert any(p.startswith("data/examplumab/interactions.yaml:2: unknown field `colour`") for p in found), found
    # and without its row, the collection is unknown
    try:
        load_build(data, data.parent, workers=1)
    except DataError as err:
        assert "unknown collection `interactions`" in str(err)
