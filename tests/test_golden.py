"""Golden files: the Markdown generated from the fictional mini knowledge base, page by page.

After an intended change to the templates, run `UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_DATA

from generator.build import load_build

GOLDEN = Path(__file__).parent / "golden" / "mini"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return load_build(MINI_DATA, MINI_DATA.parent).pages


def test_golden_files_match_the_generated_pages(pages):
    if os.environ.get("UPDATE_GOLDEN"):
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from tests/golden/mini/{path}"


def test_generation_is_deterministic_across_interpreters(pages):
    """Two builds in fresh interpreters with other hash seeds (set and dict order, worker start-up)
    give the same pages as this one."""
    script = (
        "import json, sys; from pathlib import Path; from generator.build import load_build;"
        "d = Path(sys.argv[1]); print(json.dumps(load_build(d, d.parent).pages))"
    )
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", script, str(MINI_DATA)],
            env=dict(os.environ, PYTHONHASHSEED=seed),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == pages


def test_no_admonition_or_details_box_is_empty(pages):
    """An admonition's body is the indented block under its `!!!` / `???` line: a line left
    unindented falls outside the box and leaves it empty (the golden files once recorded that)."""
    import re

    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    for source in (pages, expected):
        for path, text in source.items():
            for match in re.finditer(r"^(?:!!!|\?\?\?\+?) .*\n((?:[ \t]*\n)*)(.*)", text, re.M):
                assert match.group(2).startswith("    ") and match.group(2).strip(), (path, match.group(0))
