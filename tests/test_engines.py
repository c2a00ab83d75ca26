"""The engines underneath: the same mkdocs.yml builds with ProperDocs (which continues MkDocs 1.x)
and gives the same pages as MkDocs; the engine-neutral Markdown tree (`make markdown`) builds with
Zensical, whose plugin API does not exist yet."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_DATA, make_project

from generator.devtools.linkcheck import broken_links

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    project = make_project(tmp_path / "p", MINI_DATA)
    for engine, out in (("mkdocs", "by-mkdocs"), ("properdocs", "by-properdocs")):
        result = subprocess.run(
            [str(BIN / engine), "build", "--strict", "-d", str(tmp_path / out)],
            cwd=project,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"{engine}: {result.stdout}{result.stderr}"
    one, two = files(tmp_path / "by-mkdocs"), files(tmp_path / "by-properdocs")
    assert sorted(one) == sorted(two)
    tag = re.compile(rb'<meta name="generator" content="[^"]*">')
    differing = [path for path in one if tag.sub(b"", one[path]) != tag.sub(b"", two[path])]
    assert differing == []
    assert b"ProperDocs" in two["index.html"] and broken_links(tmp_path / "by-properdocs") == []


def test_zensical_builds_the_markdown_tree(tmp_path):
    tree = tmp_path / "tree"
    made = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(MINI_DATA), "markdown", str(tree)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    result = subprocess.run(
        [str(BIN / "zensical"), "build", "-f", "mkdocs.yml"], cwd=tree, env=ENV, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = tree / "site"
    trial = (site / "examplumab" / "trials" / "trial-a" / "index.html").read_text(encoding="utf-8")
    assert "TRIAL-A (examplumab versus chemotherapy)" in trial
    assert 'href="../../background/"' in trial or "Background" in trial  # the navigation
    glossary = (site / "examplumab" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="complete remission">CR</abbr>' in glossary  # the abbreviations
    quiz = (site / "examplumab" / "quizzes" / "basics-quiz" / "index.html").read_text(encoding="utf-8")
    assert "assets/kb-site/quiz.js" in quiz and 'data-question="basics-target"' in quiz
    assert "{ #" not in quiz  # attribute lists are read, vignette headings are headings
    table = (site / "examplumab" / "decisions" / "fever-by-grade" / "index.html").read_text(encoding="utf-8")
    assert "data-decision-table" in table
