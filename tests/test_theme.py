"""The copies of Material's partials in generator/theme/partials drift with any 9.x release: the
originals they were made from are kept in tests/fixtures/material-partials and compared with the
installed Material here."""

from __future__ import annotations

import difflib
from pathlib import Path

import material
import pytest
from conftest import ROOT

OURS = ROOT / "generator" / "theme" / "partials"
RECORDED = ROOT / "tests" / "fixtures" / "material-partials"
INSTALLED = Path(material.__file__).parent / "templates" / "partials"


@pytest.mark.parametrize("name", sorted(p.name for p in OURS.glob("*.html")))
def test_the_partial_we_copied_is_still_what_material_ships(name):
    recorded = (RECORDED / name).read_text(encoding="utf-8")
    installed = (INSTALLED / name).read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            recorded.splitlines(True), installed.splitlines(True), f"recorded/{name}", f"installed/{name}"
        )
    )
    assert not diff, (
        f"Material changed partials/{name}: update generator/theme/partials/{name}, then the record\n{diff}"
    )
