"""The benchmark runs end to end at the smallest size, and the synthetic knowledge base is sound.

No timing is asserted: only that every figure is produced and is sane.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator.build import load_reviews
from generator.devtools.synthetic import write_synthetic

pytestmark = pytest.mark.slow


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_synthetic_is_deterministic_valid_and_seeded(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a" / "data", tmp_path / "b" / "data", tmp_path / "c" / "data"
    assert write_synthetic(first, copies=2, seed=7) == ["synthetic-001", "synthetic-002"]
    write_synthetic(second, copies=2, seed=7)
    write_synthetic(other, copies=2, seed=8)
    assert files_of(first) == files_of(second)
    assert files_of(first).keys() == files_of(other).keys()
    assert files_of(first) != files_of(other)
    # the two copies differ from each other, not only in their review id
    one, two = files_of(first / "synthetic-001"), files_of(first / "synthetic-002")
    assert one["trials.yaml"] != two["trials.yaml"]

    reviews = load_reviews(first, tmp_path / "a")
    assert [kb.review.id for kb in reviews] == ["synthetic-001", "synthetic-002"]
    (real,) = load_reviews(ROOT / "data", ROOT)
    for kb in reviews:  # every collection of the real review, as rich as it is
        assert {k: len(v) for k, v in kb.entities.items()} == {k: len(v) for k, v in real.entities.items()}
        assert len(kb.references) == len(real.references)
        assert len(kb.glossary) == len(real.glossary)
        assert kb.targets.keys() == real.targets.keys()


def test_benchmark_runs_at_the_smallest_size() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator.devtools.benchmark", "--sizes", "1", "--runs", "1", "--preview-sizes", "1"]
        + ["--edits", "1", "--timeout", "300", "--preview-timeout", "120"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON ")]
    assert len(lines) == 1, result.stdout
    bench = json.loads(lines[0].removeprefix("BENCH_JSON "))
    (size,) = bench["sizes"]
    assert size["size"] == 1 and size["reviews"] == 1
    assert size["pages"] > 50
    assert size["html_files"] > 50 and size["html_bytes_per_page"] > 0 and size["search_index_bytes"] > 0
    for key in ("generator_s", "build_s", "plain_build_s"):
        assert size[key]["median"] > 0 and size[key]["min"] <= size[key]["median"] <= size[key]["max"]
    assert size["full_over_plain"] > 0
    assert 0 < size["generator_share"] < 1
    assert bench["plugin_import_s"]["median"] > 0
    assert size["peak_rss_mib"] is None or size["peak_rss_mib"] > 0
    assert size["preview"] is not None and size["preview"]["latency_s"]["median"] > 0
    assert bench["assets"]["total_gzip_bytes"] > 0
    assert "mkdocs build s" in result.stdout
