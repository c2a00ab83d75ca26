"""One build's parts that several reviews share: glossary and footers."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import MINI_DATA, edit

from generator.build import load_build


def two_reviews(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    shutil.copytree(data / "examplumab", data / "otherumab")
    edit(data, "otherumab/review.yaml", "  id: examplumab\n", "  id: otherumab\n")
    edit(data, "otherumab/review.yaml", "  title: Examplumab in fictional leukaemia\n", "  title: Otherumab\n")
    edit(
        data,
        "otherumab/entities.yaml",
        "{term: CR, expansion: complete remission}",
        "{term: CR, expansion: complete response}",
    )
    return data


def test_glossary_is_shared_and_a_review_keeps_its_own_meaning(tmp_path):
    build = load_build(two_reviews(tmp_path), tmp_path)
    assert build.glossary["CR"] == "complete remission"  # the first review to define it
    assert "otherumab" in build.overrides and "examplumab" not in build.overrides
    assert build.overrides["otherumab"].strip() == "*[CR]: complete response"


def test_each_review_has_its_own_footer(tmp_path):
    build = load_build(two_reviews(tmp_path), tmp_path)
    mine, theirs = "Otherumab: written from", "Examplumab in fictional leukaemia: written from"
    assert mine in build.footers["otherumab"] and theirs not in build.footers["otherumab"]
    assert mine in build.footers[""] and theirs in build.footers[""]
    assert sorted(p.split("/")[0] for p in build.pages if "/" in p) == sorted(
        ["examplumab"] * (len(build.pages) // 2) + ["otherumab"] * (len(build.pages) // 2)
    )
