"""Reads YAML files into plain data, remembering the line of every key and list item."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

Loc = tuple[str | int, ...]
#: libyaml's parser where PyYAML was built with it (about ten times faster), the pure-Python one otherwise.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


@dataclass
class Document:
    """One YAML file: its data and the 1-based line of each location in it."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    text: str = field(default="", repr=False)

    def find_line(self, start: int, needle: str) -> int:
        """First line at or after `start` containing `needle` (for a link inside a long text)."""
        for number, text in enumerate(self.text.splitlines()[start - 1 :], start):
            if needle in text:
                return number
        return start

    def line_of(self, loc: Loc) -> int:
        """Line of the deepest known location on the way to `loc`."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


class _Builder:
    def __init__(self, path: Path, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self._problem(key_node, "YAML merge keys (<<) are not supported; write the fields out")
                    continue
                key = key_node.value if key_node.tag == _STR else self.loader.construct_object(key_node)
                if not isinstance(key, str):
                    key = str(key)
                if key in result:
                    self._problem(key_node, f"`{key}` appears twice in this mapping; keep one")
                    continue
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[(*loc, index)] = item.start_mark.line + 1
                items.append(self.build(item, (*loc, index)))
            return items
        if node.tag == _STR:  # most scalars are text: skip the constructor machinery
            return node.value
        return self.loader.construct_object(node, deep=True)

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))


def load(path: Path, display: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse one file. `display` is the path shown in messages (relative to the project)."""
    shown = display or path
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(shown, line, "the file is not UTF-8 text; save it with UTF-8 encoding")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = err.problem or "invalid YAML"
        return None, [Problem(shown, line, f"YAML syntax error: {what}; check indentation and quoting")]
    finally:
        loader.dispose()
    if node is None:
        return Document(shown, {}), []
    builder = _Builder(shown, loader)
    try:
        data = builder.build(node, ())
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        return None, [Problem(shown, mark.line + 1 if mark else 1, f"YAML error: {err.problem}")]
    doc = Document(shown, data, builder.lines, text)
    doc.lines[()] = 1
    return doc, builder.problems
