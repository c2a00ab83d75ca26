"""The widgets' pure rules (generator/assets/kb-core.js) under Node's test runner, and the browser's
normalisation of short answers against Python's."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import ROOT

from generator.quiz import normalise

CORE = ROOT / "generator" / "assets" / "kb-core.js"


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node.js is needed for the JavaScript unit tests: sudo apt-get install nodejs")
    return found


def test_the_widget_rules_pass_their_unit_tests():
    result = subprocess.run([node(), "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout


def test_short_answers_normalise_alike_in_python_and_the_browser():
    samples = ["Straße", "STRASSE", "ΣΊΣΥΦΟΣ", "ﬁne", "  A \t b ", "İstanbul", "Ǆemal", "µg", "ﬀ", "x\u00a0y", "Ⅻ", "Ω"]
    script = (
        f"const KB = require({json.dumps(str(CORE))});"
        f"console.log(JSON.stringify({json.dumps(samples)}.map(KB.normalise)));"
    )
    result = subprocess.run([node(), "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [normalise(s) for s in samples]
