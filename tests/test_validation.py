"""Bad data is reported to educators as `path:LINE: message`, all of it in one run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_DATA, edit, make_project, mkdocs_build, problems, review_of

ENTITIES = "examplumab/entities.yaml"


def test_the_fixture_itself_is_valid(data):
    kb = review_of(data, "examplumab")
    assert kb.review.id == "examplumab"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    brand: Exampla\n",
            "    brand: Exampla\n    colour: blue\n",
            "unknown field `colour`; allowed here: id, title, summary",
        ),
        ("approval_year: 2020", "approval_year: soon", "`approval_year`: write a whole number"),
        ("value: {value: 2.5, unit: L/hr}", "value: {value: 2.5, unit: litres}", "unknown unit 'litres'"),
        (
            "summary: Approved after [[trial-a]].",
            "summary: Approved after [[trial-z]].",
            "`trial-z` is not the id of an entity or overview page; did you mean `trial-a`",
        ),
        (
            'summary: "Randomised; remission in [[trial-a/cr]]."',
            'summary: "Remission in [[trial-a/crr]]."',
            "`trial-a/crr` is not the id of an entity or overview page; did you mean `trial-a/cr`",
        ),
        ("  - id: best-sequence", "  - id: trial-a", "duplicate id `trial-a` (first at data/examplumab/"),
        (
            "      - {aspect: target, text: Antigen Y., refs: [2]}",
            "      - {aspect: target, text: Antigen Y., refs: [7]}",
            "cites reference 7, which is not in the reference list (1-2)",
        ),
        (
            "    summary: Unknown.",
            '    summary: "[Click](javascript:alert(1))"',
            "link to `javascript:alert(1)` is not allowed",
        ),
        (
            "    therapies: [examplumab, comparatab]",
            "    therapies: [examplumab, trial-a]",
            "`trial-a` is not the id of therapies",
        ),
        ("  - id: fever\n    therapy: examplumab\n", "  - id: fever\n", "missing required field `therapy`"),
        ("registry: [NCT00000001]", "registry: [NCT1]", "is neither NCT"),
        ("{aspect: target, text: Antigen X.", "{aspect: cost, text: Antigen X.", "unknown comparison aspect `cost`"),
    ],
)
def test_each_mistake_is_reported_at_its_line(data, old, new, message):
    line = edit(data, ENTITIES, old, new)
    found = problems(data)
    assert len(found) == 1, found
    path, at, text = found[0].split(":", 2)
    assert path == f"data/{ENTITIES}"
    # the line named is within the lines just edited
    assert line <= int(at) <= line + new.count("\n"), (line, at)
    assert message in text


def test_syntax_error_and_bad_encoding_are_reported_with_the_file(data):
    edit(data, ENTITIES, "    title: Fever\n", "    title: [Fever\n")
    (data / "examplumab" / "extra.yaml").write_bytes(b"glossary:\n  - {term: X, expansion: caf\xe9}\n")
    found = problems(data)
    assert any(p.startswith(f"data/{ENTITIES}:") and "YAML syntax error" in p for p in found), found
    assert "data/examplumab/extra.yaml:2: the file is not UTF-8 text; save it with UTF-8 encoding" in found


def test_every_problem_is_reported_in_one_run(data):
    edit(data, ENTITIES, "approval_year: 2020", "approval_year: soon")
    edit(data, ENTITIES, "    summary: Unknown.", "    summary: See [[nowhere]].")
    edit(
        data,
        "examplumab/review.yaml",
        "  title: Examplumab in fictional leukaemia\n",
        "  title: Examplumab in fictional leukaemia\n  tilte: typo\n",
    )
    found = problems(data)
    assert len(found) == 3, found
    assert found == sorted(found)


@pytest.mark.slow
def test_cli_check_prints_problems_and_fails(data):
    edit(data, ENTITIES, "approval_year: 2020", "approval_year: soon")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"],
        capture_output=True,
        text=True,
        cwd=data.parent,
    )
    assert result.returncode == 1
    assert "data/examplumab/entities.yaml:" in result.stderr and "approval_year" in result.stderr
    assert result.stderr.strip().endswith("1 problem in the knowledge base; nothing was written.")


@pytest.mark.slow
def test_cli_check_passes_on_the_real_knowledge_base():
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert result.returncode == 0, result.stderr
    assert "blinatumomab: OK" in result.stdout


@pytest.mark.slow
def test_bad_data_leaves_the_previous_site_untouched(tmp_path):
    project = make_project(tmp_path / "p", MINI_DATA)
    assert mkdocs_build(project, linkcheck=False).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    edit(project / "data", ENTITIES, "approval_year: 2020", "approval_year: soon")
    result = mkdocs_build(project, linkcheck=False)
    assert result.returncode != 0
    assert "data/examplumab/entities.yaml:" in result.stderr and "approval_year" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.slow
def test_markdown_command_writes_nothing_on_bad_data(data, tmp_path):
    out = tmp_path / "out"
    ok = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "markdown", str(out)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    before = sorted(p.relative_to(out) for p in out.rglob("*.md"))
    assert Path("docs/examplumab/trials/trial-a.md") in before
    edit(data, ENTITIES, "approval_year: 2020", "approval_year: soon")
    bad = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "markdown", str(out)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert sorted(p.relative_to(out) for p in out.rglob("*.md")) == before


@pytest.mark.slow
def test_problems_are_annotations_on_the_pull_request_under_github_actions(data):
    """The same problem list, as GitHub Actions workflow commands: each one lands on its YAML line."""
    line = edit(data, ENTITIES, "approval_year: 2020", "approval_year: soon")
    env = dict(os.environ, GITHUB_ACTIONS="true")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"],
        capture_output=True,
        text=True,
        cwd=data.parent,
        env=env,
    )
    assert result.returncode == 1
    message = "`approval_year`: write a whole number (Year of the approval)"
    plain, annotation = f"data/{ENTITIES}:{line}: {message}", f"::error file=data/{ENTITIES},line={line}::{message}"
    assert result.stderr.splitlines()[:2] == [plain, annotation]
    env["GITHUB_ACTIONS"] = "false"
    quiet = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"], capture_output=True, text=True, env=env
    )
    assert "::error" not in quiet.stderr
