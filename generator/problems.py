"""Problems found in the data, reported together as `path:LINE: message`.

A problem that stops a whole file from loading (a YAML syntax error, an unreadable file) is a root
cause: it is listed first, and the report ends with a line that names it, because whatever else
is wrong may follow from it and a terminal scrolls the top away. Warnings (an empty data file)
do not stop a build except in strict mode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str
    #: stops a whole file from loading, so other problems may follow from it
    root: bool = field(default=False, compare=False)
    warning: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command: an annotation on the line of the pull request."""
        kind = "warning" if self.warning else "error"
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = str(self.path).replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{kind} file={path},line={self.line}::{message}"


def ordered(problems: list[Problem]) -> list[Problem]:
    """Root causes first, then by file and line; each problem once."""
    return sorted(set(problems), key=lambda p: (not p.root, p.path, p.line, p.message))


class DataError(Exception):
    """Raised once, after every problem in the knowledge base has been collected."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = ordered(problems)
        super().__init__(self.report())

    def report(self, github: bool | None = None) -> str:
        """Every problem, then a summary line; as annotations too when run by GitHub Actions."""
        github = os.environ.get("GITHUB_ACTIONS") == "true" if github is None else github
        lines = [str(p) for p in self.problems]
        if github:
            lines += [p.annotation() for p in self.problems]
        lines.append(summary(self.problems))
        return "\n".join(lines)


def summary(problems: list[Problem]) -> str:
    errors = [p for p in problems if not p.warning]
    count = len(errors)
    text = f"{count} problem{'s' if count != 1 else ''} in the knowledge base"
    roots = [p for p in errors if p.root]
    if roots:
        first = roots[0]
        more = f" (and {len(roots) - 1} more file{'s' if len(roots) > 2 else ''})" if len(roots) > 1 else ""
        text += f"; start with {first.path}:{first.line}{more}, which stops the file loading: fix it first"
    warnings = len(problems) - count
    if warnings:
        text += f"; {warnings} warning{'s' if warnings != 1 else ''}"
    return text + "; nothing was written."
