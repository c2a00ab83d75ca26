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
_MERGE = "tag:yaml.org,2002:merge"


@dataclass
class Document:
    """One YAML file: its data, its text and (on demand) the 1-based line of each location in it."""

    path: Path
    data: Any
    text: str = field(default="", repr=False)
    _lines: dict[Loc, int] | None = field(default=None, repr=False, compare=False)

    @property
    def lines(self) -> dict[Loc, int]:
        """Line of every key and list item. Only messages need them, so they are found by parsing
        the text again on first use rather than recorded while every file loads."""
        if self._lines is None:
            self._lines = _line_map(self.text)
        return self._lines

    def find_line(self, start: int, needle: str) -> int:
        """First line at or after `start` containing `needle` (for a link inside a long text)."""
        for number, text in enumerate(self.text.splitlines()[start - 1 :], start):
            if needle in text:
                return number
        return start

    def line_of(self, loc: Loc) -> int:
        """Line of the deepest known location on the way to `loc`."""
        lines = self.lines
        for end in range(len(loc), 0, -1):
            if loc[:end] in lines:
                return lines[loc[:end]]
        return 1


def _key(node: yaml.Node, loader: Any) -> str:
    key = node.value if node.tag == _STR else loader.construct_object(node)
    return key if isinstance(key, str) else str(key)


class _Builder:
    """Node tree -> plain data, reporting what the schema could not see (merge keys, repeated keys)."""

    def __init__(self, path: Path, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    self._problem(key_node, "YAML merge keys (<<) are not supported; write the fields out")
                    continue
                key = _key(key_node, self.loader)
                if key in result:
                    self._problem(key_node, f"`{key}` appears twice in this mapping; keep one")
                    continue
                result[key] = self.build(value_node)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        if node.tag == _STR:  # most scalars are text: skip the constructor machinery
            return node.value
        return self.loader.construct_object(node, deep=True)

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))


def _line_map(text: str) -> dict[Loc, int]:
    """The line of each key and list item, keyed like the data _Builder makes (first key wins)."""
    lines: dict[Loc, int] = {(): 1}
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return lines
    finally:
        loader.dispose()
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())] if root is not None else []
    while stack:
        node, loc = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = _key(key_node, loader)
                if key in seen:
                    continue
                seen.add(key)
                lines[(*loc, key)] = key_node.start_mark.line + 1
                stack.append((value_node, (*loc, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*loc, index)] = item.start_mark.line + 1
                stack.append((item, (*loc, index)))
    return lines


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
        data = builder.build(node)
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        return None, [Problem(shown, mark.line + 1 if mark else 1, f"YAML error: {err.problem}")]
    return Document(shown, data, text), builder.problems
