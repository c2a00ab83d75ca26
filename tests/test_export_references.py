"""The references as CSL-JSON, BibTeX and RIS, each read back by an independent library (citeproc-py
renders the CSL-JSON in a standard style, bibtexparser and rispy read the others), and offered on
the built site from the references page."""

from __future__ import annotations

import json

import pytest
from conftest import MINI_DATA, make_project, mkdocs_build
from exports import KBS, by_name

from generator.export import references
from generator.render import render_review


@pytest.fixture(params=KBS)
def kb(request):
    return by_name(request.param)


def test_the_real_list_has_52_references_46_with_a_doi():
    kb = by_name("real")
    assert len(kb.references) == 52
    assert sum(1 for r in kb.references.values() if r.doi) == 46


def test_csl_json_renders_in_a_standard_style_with_citeproc(kb):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(references.to_csl_json(kb))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # shipped with citeproc-py
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(kb.references)
    for ref in kb.references.values():
        (entry,) = [e for e in rendered if ref.title in e]
        assert str(ref.year) in entry
        if ref.authors:
            first = ref.authors[0]
            assert entry.startswith(f"{first.family}, {references.initials(first.given).replace(' ', '')}"), entry
        if ref.doi:
            assert f"https://doi.org/{ref.doi}" in entry


def test_bibtex_reads_back_with_bibtexparser(kb):
    import bibtexparser
    from bibtexparser import middlewares

    library = bibtexparser.parse_string(
        references.to_bibtex(kb),
        append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
    )
    assert library.failed_blocks == []
    entries = {e.key: e.fields_dict for e in library.entries}
    assert sorted(entries) == sorted(f"ref-{n}" for n in kb.references)
    for n, ref in kb.references.items():
        fields = entries[f"ref-{n}"]
        assert ("doi" in fields and fields["doi"].value) == (ref.doi or False)
        assert fields["year"].value == str(ref.year)
        names = fields["author"].value if "author" in fields else []
        families = [" ".join(name.last) for name in names]
        expected = [a.family for a in ref.authors] + (["others"] if ref.et_al else [])
        assert [f.strip("{}") for f in families] == expected, n


def test_ris_reads_back_with_rispy(kb):
    import rispy

    entries = {e["id"]: e for e in rispy.loads(references.to_ris(kb))}
    assert sorted(entries) == sorted(f"ref-{n}" for n in kb.references)
    for n, ref in kb.references.items():
        entry = entries[f"ref-{n}"]
        assert entry.get("doi") == ref.doi
        assert entry.get("authors", []) == [f"{a.family}, {references.initials(a.given)}" for a in ref.authors]
        assert entry["title"] == ref.title and entry["year"] == str(ref.year)


def test_a_wrong_doi_is_noticed():
    import rispy

    kb = by_name("mini")
    text = references.to_ris(kb).replace("10.1234/a.1", "10.1234/a.2")
    assert rispy.loads(text)[0]["doi"] != kb.references[1].doi


def test_the_references_page_prints_authors_as_before():
    kb = by_name("real")
    page = render_review(kb)["blinatumomab/references.md"]
    assert '1. <span id="ref-1"></span>Hoelzer D, Bassan R, Dombret H, et al. Acute lymphoblastic' in page
    assert '<span id="ref-4"></span>Rowe JM. Prognostic factors' in page
    assert '<span id="ref-19"></span>Blincyto ® \\[package insert\\]' in page


def test_the_site_offers_the_downloads_from_the_references_page(tmp_path):
    project = make_project(tmp_path / "project", MINI_DATA)
    result = mkdocs_build(project)  # strict, with the link checker
    assert result.returncode == 0, result.stderr
    site = project / "site"
    page = (site / "examplumab" / "references" / "index.html").read_text(encoding="utf-8")
    for name, text in references.files(by_name("mini")).items():
        assert f'href="../downloads/{name}"' in page
        written = (site / "examplumab" / "downloads" / name).read_bytes().decode("utf-8")
        assert written.replace("\r\n", "\n") == text.replace("\r\n", "\n")
