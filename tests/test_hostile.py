"""Hostile and careless input: every case in tests/hostile/ is a YAML file dropped into a copy of the
fictional review. Its `# expect: LINE: words` comments list every problem the check must report
(file:LINE and words of the message), and nothing else; `# expect: none` means it must load.
No case may crash, hang or report a problem without its line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_DATA

from generator.build import load_build
from generator.problems import DataError

CASES = sorted((Path(__file__).parent / "hostile").glob("*.yaml"))
FILE = "data/examplumab/hostile.yaml"


def expectations(case: Path) -> list[tuple[int, str]] | None:
    found = re.findall(r"^# expect: (.*)$", case.read_text(encoding="utf-8"), flags=re.M)
    if found == ["none"]:
        return None
    return [(int(line), words.strip()) for line, words in (item.split(":", 1) for item in found)]


def reported(data: Path) -> list[str]:
    try:
        load_build(data, data.parent, workers=1)
    except DataError as err:
        return [str(p) for p in err.problems]
    return []


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_hostile_case_is_reported_at_its_line(case, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(MINI_DATA, data)
    shutil.copy(case, data / "examplumab" / "hostile.yaml")
    expected = expectations(case)
    found = reported(data)
    if expected is None:
        assert found == []
        return
    for line, words in expected:
        assert any(p.startswith(f"{FILE}:{line}: ") and words in p for p in found), (line, words, found)
    assert len(found) == len(expected), found


# --- files and folders that are not what they seem ------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(MINI_DATA, tmp_path / "data")
    return tmp_path / "data"


def cli_check(data: Path) -> subprocess.CompletedProcess[str]:
    """`python -m generator check` as an educator runs it; it must end, and never with a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(data), "check"],
        capture_output=True,
        text=True,
        cwd=data.parent,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.mark.slow
def test_a_fifo_is_reported_instead_of_hanging(data):
    os.mkfifo(data / "examplumab" / "pipe.yaml")
    result = cli_check(data)
    assert result.returncode == 1
    assert "data/examplumab/pipe.yaml:1: is not a regular file" in result.stderr


def test_a_folder_named_like_a_data_file_is_reported(data):
    (data / "examplumab" / "x.yaml").mkdir()
    assert reported(data) == ["data/examplumab/x.yaml:1: is a folder; a data file must be a YAML file"]


def test_a_broken_link_is_reported_and_an_editor_lock_file_ignored(data):
    # Emacs keeps `.#file` as a dangling link while a buffer is unsaved: a preview must not break on it.
    os.symlink("user@host.1234:1700000000", data / "examplumab" / ".#entities.yaml")
    assert reported(data) == []
    os.symlink("nowhere.yaml", data / "examplumab" / "notes.yaml")
    assert reported(data) == [
        "data/examplumab/notes.yaml:1: is a link to nowhere.yaml, which does not exist; remove the link"
    ]


def test_an_unreadable_file_is_reported(data, monkeypatch):
    from generator import loader

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader, "open", refuse, raising=False)  # root reads anything: simulate the error
    found = reported(data)
    assert found and all("cannot be read (Permission denied); check its permissions" in p for p in found), found


def test_upper_case_yaml_files_are_read(data):
    (data / "examplumab" / "extra.YAML").write_text("glossary:\n  - {term: UPPR, expansion: read}\n")
    build = load_build(data, data.parent, workers=1)
    assert build.glossary["UPPR"] == "read"


def test_links_are_followed_only_inside_the_data_folder(data, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("glossary:\n  - {term: OUTS, expansion: secret}\n")
    os.symlink(outside, data / "examplumab" / "linked.yaml")
    found = reported(data)
    assert len(found) == 1 and found[0].startswith("data/examplumab/linked.yaml:1: is a link to"), found
    assert "outside the data folder" in found[0]
    (data / "examplumab" / "linked.yaml").unlink()
    # a linked folder inside the data folder is read, not silently skipped
    shared = data / ".shared"
    shared.mkdir()
    (shared / "terms.yaml").write_text("glossary:\n  - {term: INSD, expansion: inside}\n")
    os.symlink(shared, data / "examplumab" / "linked-folder")
    assert load_build(data, data.parent, workers=1).glossary["INSD"] == "inside"
    # and a link that leads back up is reported, not followed for ever
    os.symlink(data / "examplumab", data / "examplumab" / "loop")
    assert reported(data) == [
        "data/examplumab/loop:1: this folder links back into a folder that contains it; remove the link"
    ]


def test_two_reviews_with_one_id_are_reported_at_both_lines(data):
    shutil.copytree(data / "examplumab", data / "copy")
    found = reported(data)
    assert found == [
        "data/examplumab/review.yaml:3: the review id `examplumab` is also used at data/copy/review.yaml:3; "
        "each review needs its own id"
    ]


def test_references_with_a_gap_are_reported_at_the_reference_after_it(data):
    text = (data / "examplumab" / "entities.yaml").read_text()
    (data / "examplumab" / "entities.yaml").write_text(text.replace("{number: 2,", "{number: 4,"))
    found = reported(data)
    line = text[: text.index("{number: 2,")].count("\n") + 1
    assert (
        f"data/examplumab/entities.yaml:{line}: references must be numbered 1..N as in the source; "
        "missing before 4: 2, 3" in found
    )


def test_a_huge_collection_is_refused_with_a_message(data):
    terms = "".join(f"  - {{term: T{i}, expansion: term {i}}}\n" for i in range(20_000))
    (data / "examplumab" / "many.yaml").write_text("glossary:\n" + terms)
    assert reported(data) == [
        "data/examplumab/many.yaml:1: `glossary` lists 20,000 items; no review needs more than 2,000 in one file"
    ]


def test_material_is_at_least_the_release_with_the_search_suggestion_fix():
    from importlib.metadata import version

    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", text)[:3])

    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'"mkdocs-material>=([\d.]+)', pyproject).group(1)
    assert parts(floor) >= (9, 7, 7), floor
    assert parts(version("mkdocs-material")) >= parts(floor)
