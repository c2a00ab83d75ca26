"""Reads YAML files into plain data, finding the line of any key or list item when a message needs it.

data/ arrives by pull request, so nothing here trusts it: special files, links out of the data
folder, huge files, alias bombs, deep nesting, tags outside YAML's core types, non-finite numbers
and control characters are refused with the line they are on, never a traceback or a hang.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import DataError, Problem

Loc = tuple[str | int, ...]
#: libyaml's parser where PyYAML was built with it (about ten times faster), the pure-Python one otherwise.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _MERGE = _TAG + "str", _TAG + "merge"
#: The scalar tags a knowledge base needs. YAML 1.1's implicit dates stay text (`2021-02-30` is text
#: to an educator); other tags (!!binary, !!set, !!timestamp, Python objects) are refused.
_SCALARS = {_TAG + name for name in ("str", "int", "float", "bool", "null")}
_IMPLICIT_TEXT = {_TAG + "timestamp"}

#: Limits no real review comes near (the largest file of the first review is 100 KB, 7 levels deep).
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_TEXT = 20_000
MAX_NUMBER = 1e12
#: Items that anchors and aliases may expand to, beyond the nodes written in the file.
MAX_EXPANSION = 100_000
#: C0 and C1 controls (tab, newline and carriage return aside), DEL, and the Unicode line and
#: paragraph separators: none belongs in a page, and some end a line inside a script or attribute.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


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


class _Refused(Exception):
    """Stops building a file that cannot be read safely: one problem, at `line`."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Builder:
    """Node tree -> plain data, reporting what the schema could not see (merge keys, repeated keys,
    control characters) and refusing what could hurt (alias bombs, cycles, deep nesting)."""

    def __init__(self, path: Path, loader: Any, text: str) -> None:
        self.path = path
        self.loader = loader
        self.source = text
        self.problems: list[Problem] = []
        self.budget = MAX_EXPANSION
        self.seen: set[int] = set()  # nodes already built once: building one again is an alias use
        self.open: set[int] = set()  # nodes being built (an alias to one of them is a cycle)

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise _Refused(_line(node), f"data nested more than {MAX_DEPTH} levels deep; no review needs that")
        ident = id(node)
        if ident in self.open:
            raise _Refused(_line(node), "anchors and aliases (&, *) refer to themselves here; write the data out")
        if ident in self.seen and not isinstance(node, yaml.ScalarNode):
            self.budget -= _size(node)
            if self.budget < 0:
                raise _Refused(
                    _line(node),
                    f"anchors and aliases (&, *) starting here expand to more than {MAX_EXPANSION:,} items; "
                    "write the data out",
                )
        self.seen.add(ident)
        if isinstance(node, yaml.MappingNode):
            self.open.add(ident)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    self._problem(key_node, "YAML merge keys (<<) are not supported; write the fields out")
                    continue
                key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | float | bool):
                    self._problem(key_node, "a key must be a plain word, e.g. `title:`")
                    continue
                key = str(key)
                if key in result:
                    self._problem(key_node, f"`{key}` appears twice in this mapping; keep one")
                    continue
                result[key] = self.build(value_node, depth + 1)
            self.open.discard(ident)
            return result
        if isinstance(node, yaml.SequenceNode):
            self.open.add(ident)
            items = [self.build(item, depth + 1) for item in node.value]
            self.open.discard(ident)
            return items
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR:  # most scalars are text: skip the constructor machinery
            return self._text(node, node.value)
        if node.tag in _IMPLICIT_TEXT and not self.source.startswith("!", node.start_mark.index):
            return self._text(node, node.value)
        if node.tag not in _SCALARS:
            short = node.tag.replace(_TAG, "!!")
            raise _Refused(_line(node), f"the YAML tag `{short}` is not used in a knowledge base; remove it")
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            short = node.tag.replace(_TAG, "!!")
            raise _Refused(_line(node), f"cannot read `{node.value}` as {short}; write a plain value") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _Refused(_line(node), f"`{node.value}` is not a finite number; write an ordinary number")
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise _Refused(_line(node), f"`{node.value}` is larger than any figure of a review ({MAX_NUMBER:g})")
        return value

    def _text(self, node: yaml.Node, text: str) -> str:
        if len(text) > MAX_TEXT:
            raise _Refused(_line(node), f"a text of {len(text):,} characters; the limit is {MAX_TEXT:,}")
        bad = _CONTROL.search(text)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            self._problem(node, f"the text contains a control character ({code}); remove it")
        return text

    def _problem(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, _line(node), message))


def _size(node: yaml.Node) -> int:
    """Nodes directly under a collection (what reusing it through an alias costs, at least)."""
    return len(node.value) + 1 if isinstance(node.value, list) else 1


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
    visited: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if len(loc) > MAX_DEPTH or (id(node), loc) in visited:
            continue
        visited.add((id(node), loc))  # type: ignore[arg-type]
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = key_node.value
                if key in seen:
                    continue
                seen.add(key)
                lines[(*loc, key)] = _line(key_node)
                stack.append((value_node, (*loc, key)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*loc, index)] = _line(item)
                stack.append((item, (*loc, index)))
    return lines


def _syntax_error(err: yaml.YAMLError, text: str) -> tuple[int, str]:
    """(line, message) for a file that does not parse: where the mistake starts, in plain words."""
    if isinstance(err, yaml.reader.ReaderError):
        line = text[: err.position].count("\n") + 1 if isinstance(err.position, int) else 1
        return line, f"the file contains a character YAML does not allow (#x{err.character:04x}); remove it"
    if not isinstance(err, yaml.MarkedYAMLError):
        return 1, f"YAML syntax error: {err}"
    problem = err.problem or "invalid YAML"
    start, found = err.context_mark, err.problem_mark
    if start is not None and found is not None and "quoted scalar" in (err.context or "") and "end" in problem:
        return start.line + 1, (
            f"YAML syntax error: a quoted text opened here is never closed (the file ends at line {found.line + 1}); "
            "add the closing quote"
        )
    if start is not None and found is not None and (err.context or "").startswith("while parsing a flow"):
        bracket = "[" if "sequence" in (err.context or "") else "{"
        return start.line + 1, (
            f"YAML syntax error: the {bracket} opened here is not closed ({problem} at line {found.line + 1}); "
            f"close it, or put the text in quotes if the {bracket} belongs to it"
        )
    if found is not None and found.index < len(text) and text[found.index] == "\t":
        return found.line + 1, "YAML syntax error: a tab is used to indent here; YAML indents with spaces only"
    if "nesting depth" in problem:
        line = (found or start).line + 1 if (found or start) else 1
        return line, f"data nested more than {MAX_DEPTH} levels deep; no review needs that"
    mark = found or start
    line = mark.line + 1 if mark else 1
    context = f" ({err.context} at line {start.line + 1})" if start is not None and found is not None else ""
    return line, f"YAML syntax error: {problem}{context}; check indentation and quoting"


def load(path: Path, display: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse one file. `display` is the path shown in messages (relative to the project)."""
    shown = display or path
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            return None, [Problem(shown, 1, f"is {what}; a data file must be a YAML file")]
        if info.st_size > MAX_FILE_BYTES:
            return None, [
                Problem(shown, 1, f"the file is {info.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it")
            ]
        with open(path, "rb") as handle:  # opened only once known to be a regular file: a FIFO would block
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        target = os.readlink(path) if path.is_symlink() else "nothing"
        return None, [Problem(shown, 1, f"is a link to {target}, which does not exist; remove the link")]
    except OSError as err:
        return None, [Problem(shown, 1, f"cannot be read ({err.strerror or err}); check its permissions")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(shown, line, "the file is not UTF-8 text; save it with UTF-8 encoding")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as err:
        return None, [Problem(shown, *_syntax_error(err, text))]
    finally:
        loader.dispose()
    if node is None:
        return Document(shown, {}), []
    builder = _Builder(shown, loader, text)
    try:
        data = builder.build(node)
    except _Refused as err:
        return None, [Problem(shown, err.line, err.message)]
    except RecursionError:
        return None, [Problem(shown, 1, f"data nested more than {MAX_DEPTH} levels deep; no review needs that")]
    return Document(shown, data, text), builder.problems


# --- finding the data files -----------------------------------------------------------------------

YAML_SUFFIXES = (".yaml", ".yml")


def _ignored(name: str) -> bool:
    """Hidden files and folders, and editors' lock and backup files (`.#trials.yaml`, `trials.yaml~`)."""
    return name.startswith((".", "#")) or name.endswith("~")


def shown_path(path: Path, root: Path) -> Path:
    """The path as messages show it: relative to the project where it is inside it."""
    return path.relative_to(root) if path.is_relative_to(root) else path


def data_files(folder: Path, root: Path, data_dir: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The YAML files of a review folder, in a stable order, and what is wrong with what is there.

    Links are followed only where they lead inside the data folder (`data_dir`); a link out of it, a
    broken link, or a loop of links is reported rather than read or silently skipped."""
    inside = (data_dir or folder.parent).resolve()
    found: list[Path] = []
    problems: list[Problem] = []

    def walk(directory: Path, above: tuple[Path, ...] = ()) -> None:
        real = directory.resolve()
        if real in above:
            problems.append(
                Problem(
                    shown_path(directory, root),
                    1,
                    "this folder links back into a folder that contains it; remove the link",
                )
            )
            return
        try:
            entries = sorted(directory.iterdir())
        except OSError as err:
            problems.append(Problem(shown_path(directory, root), 1, f"cannot be read ({err.strerror or err})"))
            return
        for path in entries:
            if _ignored(path.name):
                continue
            yaml_name = path.suffix.lower() in YAML_SUFFIXES
            if path.is_symlink():
                target = path.resolve()
                if not target.exists():
                    if yaml_name:
                        found.append(path)  # the loader reports the broken link with its name
                    continue
                if not target.is_relative_to(inside):
                    problems.append(
                        Problem(
                            shown_path(path, root),
                            1,
                            f"is a link to {target}, outside the data folder; copy the file into data/ instead",
                        )
                    )
                    continue
            if path.is_dir() and not yaml_name:
                walk(path, (*above, real))
            elif yaml_name:
                found.append(path)

    walk(folder)
    return found, problems


_WRITTEN_ID = re.compile(r"^[ \t-]*id:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)", re.M)


def _salvage_ids(path: Path) -> set[str]:
    """Ids a file that failed to load seems to define, so that links to them are not reported as
    unknown on top of the file's own problem (one mistake, one message)."""
    try:
        return set(_WRITTEN_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    except (OSError, ValueError):
        return set()


def load_folder(
    folder: Path, root: Path, data_dir: Path | None = None
) -> tuple[list[Document], list[Problem], set[str] | None]:
    """Every data file of a review folder: (documents, problems, ids the files that failed to load
    may define; None when every file loaded)."""
    docs = []
    salvaged: set[str] | None = None
    paths, problems = data_files(folder, root, data_dir)
    for path in paths:
        doc, found = load(path, shown_path(path, root))
        if doc is None:  # the whole file is lost: whatever else is reported may follow from this
            found = [dataclasses.replace(p, root=True) for p in found]
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
        elif path.is_file() and not path.is_symlink() or path.is_symlink() and path.exists():
            salvaged = (salvaged or set()) | _salvage_ids(path)
        else:
            salvaged = salvaged or set()
    return docs, problems, salvaged


def find_reviews(data_dir: Path) -> list[Path]:
    """Each folder under data/ that holds YAML is one review."""
    folders = []
    for path in sorted(data_dir.iterdir()):
        if _ignored(path.name) or not path.is_dir():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(data_dir.resolve()):
            folders.append(path)  # reported when it is loaded
        elif any(p.suffix.lower() in YAML_SUFFIXES for p in path.rglob("*")):
            folders.append(path)
    return folders


def review_folders(data_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The review folders of a site, and YAML files left outside them; a DataError when there is none."""
    folders = find_reviews(data_dir) if data_dir.is_dir() else []
    stray = [
        Problem(p, 1, "a data file belongs in a review's folder, e.g. data/<review>/; move it there")
        for p in (sorted(data_dir.iterdir()) if data_dir.is_dir() else [])
        if p.suffix.lower() in YAML_SUFFIXES and not _ignored(p.name) and not p.is_dir()
    ]
    if not folders:
        raise DataError([Problem(data_dir, 1, "no review folder with YAML files was found here"), *stray])
    return folders, stray
