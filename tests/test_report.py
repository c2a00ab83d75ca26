"""The full report for a knowledge base with ten common mistakes, kept as a golden file so the
wording educators read stays stable (as mkdocs-literate-nav keeps its logs in golden cases).
`UPDATE_GOLDEN=1` refreshes it after an intended change; read the diff before accepting it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import edit

GOLDEN = Path(__file__).parent / "golden" / "reports" / "ten-mistakes.txt"

MISTAKES = [
    ("examplumab/entities.yaml", "value: {value: 7.5, unit: months}", "value: 7.5 months"),
    ("examplumab/entities.yaml", "        measure: Complete remission", "        mesure: Complete remission"),
    ("examplumab/entities.yaml", "      - id: renal-severe\n", "      - id: clearance\n"),
    ("examplumab/entities.yaml", 'value: {value: 40, unit: "%"}', "value: {value: 40, unit: per cent}"),
    ("examplumab/entities.yaml", "summary: Approved after [[trial-a]].", "summary: Approved after [[trial-b]]."),
    ("examplumab/entities.yaml", "    therapy: examplumab\n    title: Fever\n", "    title: Fever\n"),
    ("examplumab/entities.yaml", 'phase: "3"', 'phase: "4"'),
    ("examplumab/entities.yaml", "n: {enrolled: 300}", "n: {enrolled: -300}"),
    ("examplumab/quizzes.yaml", 'given: {grade: "3", temperature: 1}', 'given: {grade: "1", temperature: 1}'),
    ("examplumab/review.yaml", "  disclaimer: Fictional test data.", "  disclaimer: [Fictional test data."),
]


def test_the_report_of_ten_common_mistakes_reads_as_recorded(data):
    for file, old, new in MISTAKES:
        edit(data, file, old, new)
    (data / "examplumab" / "notes.yaml").write_text("# to do\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", "data", "check"],
        capture_output=True,
        text=True,
        cwd=data.parent,
        env=dict(os.environ, GITHUB_ACTIONS="false"),
    )
    assert result.returncode == 1
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(result.stderr, encoding="utf-8")
    assert result.stderr == GOLDEN.read_text(encoding="utf-8")
