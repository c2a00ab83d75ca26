"""`make markdown`: an engine-neutral tree (pages, navigation, abbreviations, assets) that plain
MkDocs builds without the knowledge-base plugin."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_hostile_site import TITLE, hostile_data

pytestmark = pytest.mark.slow


def test_plain_mkdocs_builds_the_tree_without_the_plugin(tmp_path):
    data = hostile_data(tmp_path / "data")  # two reviews, one of them with ' & < " in its title
    tree = tmp_path / "tree"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "markdown", str(tree)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    front = (tree / "docs" / "examplumab" / "trials" / "trial-a.md").read_text(encoding="utf-8")
    assert "&#x27;" not in (tree / "docs" / "hostilia" / "index.md").read_text(encoding="utf-8")
    assert front.startswith("---\n") and "knowledge-base" not in (tree / "mkdocs.yml").read_text(encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tree / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    site = tree / "site"
    page = (site / "examplumab" / "trials" / "trial-a" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="complete remission">CR</abbr>' in (site / "examplumab" / "glossary" / "index.html").read_text()
    assert "assets/kb-site/quiz.js" in page and "TRIAL-A" in page
    assert 'href="../../background/"' in page or "Background" in page  # the navigation is there
    hostile = (site / "hostilia" / "index.html").read_text(encoding="utf-8")
    assert "<b>" not in hostile.split("<title>")[1].split("</title>")[0]  # the title reads as text
    assert TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in hostile
    assert (site / "assets" / "kb-site" / "kb-core.js").is_file()
