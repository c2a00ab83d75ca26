"""One build's parts that several reviews share (glossary, footers), and building reviews in worker processes."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import MINI_DATA, ROOT, edit

from generator.build import load_build, workers_for
from generator.devtools.synthetic import write_synthetic
from generator.problems import DataError

pytestmark = pytest.mark.slow


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
    owners = [p.split("/")[0] for p in build.pages if "/" in p]
    assert sorted(owners) == sorted(["examplumab"] * (len(owners) // 2) + ["otherumab"] * (len(owners) // 2))


# A fresh interpreter runs one thread, as `mkdocs build` does; pytest may be running servers in threads.
IN_A_FRESH_PROCESS = """
import pickle, sys
from pathlib import Path
from generator.build import load_build
from generator.problems import DataError

data, out = Path(sys.argv[1]), Path(sys.argv[2])
try:
    build = load_build(data, data.parent, workers=2)
    result = (build.workers, build.pages, build.nav, build.footers, build.glossary, build.overrides,
              [kb.review.id for kb in build.reviews], build.reviews[1].targets)
except DataError as err:
    result = err.report()
out.write_bytes(pickle.dumps(result))
"""


def build_in_fresh_process(data: Path, tmp_path: Path) -> object:
    out = tmp_path / "result.pickle"
    subprocess.run([sys.executable, "-c", IN_A_FRESH_PROCESS, data, out], cwd=ROOT, check=True, timeout=300)
    return pickle.loads(out.read_bytes())


def test_worker_processes_build_the_same_site_as_one_process(tmp_path):
    data = two_reviews(tmp_path)
    synthetic = write_synthetic(data, copies=2, seed=3)  # four reviews: work for two workers
    serial = load_build(data, tmp_path, workers=1)
    workers, pages, nav, footers, glossary, overrides, ids, targets = build_in_fresh_process(data, tmp_path)
    assert workers == 2 and serial.workers == 1
    assert list(pages) == list(serial.pages) and pages == serial.pages
    assert nav == serial.nav and footers == serial.footers
    assert (glossary, overrides) == (serial.glossary, serial.overrides)
    assert ids == ["examplumab", "otherumab", *synthetic] and targets == serial.reviews[1].targets


def test_worker_processes_report_every_problem_of_every_review(tmp_path):
    data = two_reviews(tmp_path)
    write_synthetic(data, copies=1, seed=3)
    line = edit(data, "otherumab/entities.yaml", "  - id: trial-a\n", "  - id: trial-a\n    colour: blue\n")
    edit(data, "examplumab/review.yaml", "  title: Examplumab in fictional leukaemia\n", "  title:\n")
    with pytest.raises(DataError) as err:
        load_build(data, tmp_path, workers=1)
    report = build_in_fresh_process(data, tmp_path)
    assert report == err.value.report()
    assert f"data/otherumab/entities.yaml:{line + 1}: unknown field `colour`" in report
    assert "data/examplumab/review.yaml:" in report


def test_one_process_while_other_threads_run_or_for_one_review(monkeypatch):
    assert workers_for(1) == 1 and workers_for(5, requested=1) == 1
    with monkeypatch.context() as m:
        m.setattr(threading, "active_count", lambda: 1)  # as in `mkdocs build`
        assert workers_for(3, requested=8) == 3  # never more workers than reviews
        assert workers_for(5, requested=2) == 2
    ready, done = threading.Event(), threading.Event()
    thread = threading.Thread(target=lambda: (ready.set(), done.wait(10)))
    thread.start()  # like the server and file watcher of `mkdocs serve`
    try:
        ready.wait(10)
        assert workers_for(5, requested=2) == 1
    finally:
        done.set()
        thread.join()
