from pathlib import Path

from generator.loader import load


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "file.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_every_key_and_item_has_its_line(tmp_path):
    doc, problems = load(write(tmp_path, "a: 1\nlist:\n  - x: 1\n\n  - x: 2\n    y: text\n"))
    assert problems == []
    assert doc.data == {"a": 1, "list": [{"x": 1}, {"x": 2, "y": "text"}]}
    assert doc.line_of(("list", 1, "y")) == 6
    assert doc.line_of(("list", 0)) == 3
    # a location below a known one falls back to the nearest known line
    assert doc.line_of(("list", 1, "y", "deeper")) == 6


def test_duplicate_key_is_reported_at_its_line(tmp_path):
    _doc, problems = load(write(tmp_path, "a: 1\nb: 2\na: 3\n"))
    assert [(p.line, p.message) for p in problems] == [(3, "`a` appears twice in this mapping; keep one")]


def test_syntax_error_names_the_line(tmp_path):
    doc, problems = load(write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n"))
    assert doc is None
    assert len(problems) == 1 and problems[0].message.startswith("YAML syntax error")
    assert problems[0].line in (2, 3)


def test_non_utf8_file_is_reported_not_crashed(tmp_path):
    doc, problems = load(write(tmp_path, b"a: 1\nb: caf\xe9\n"))
    assert doc is None
    assert [(p.line, p.message) for p in problems] == [(2, "the file is not UTF-8 text; save it with UTF-8 encoding")]


def test_link_inside_a_folded_text_is_found_on_its_own_line(tmp_path):
    doc, _ = load(write(tmp_path, "text: >-\n  first line\n  then [[target]] here\n"))
    assert doc.find_line(1, "[[target") == 3
