"""Checks that the site says no more than its source.

- Evidence: every actionable item (decision rule, management step, regimen, "preferred when" row,
  quiz question) carries a short verbatim phrase of the review and the review's section it comes
  from, or says "Not addressed by the review". Where the review's text is beside the project, each
  phrase must occur in that section.
- No hand-typed copy of a figure: a number with its unit in prose that equals a figure of an entity
  the item links to or tests must be written as that figure (`[[trial/cr]]`), so it cannot go stale.
- Qualifiers once: prose must not repeat the qualifier or unit a figure already prints ("up to
  [[x]]" where x is "up to 98.5%").
- Answer positions: the right answers of a module's single-choice questions are spread over the
  option positions.

Each check returns (origin, location inside the item, message); knowledge.py turns them into
`path:LINE: message` problems.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import markup
from .loader import Loc
from .schema import UNITS, Evidence, Question, Quiz, Value
from .values import format_value

NOT_ADDRESSED = "not addressed by the review"
#: The most correct answers one option position may hold in a module (share of its single-choice questions).
MAX_POSITION_SHARE = 0.4
#: Below this many single-choice questions the spread is not checked (two questions cannot be spread).
MIN_QUESTIONS_FOR_SPREAD = 5


# --- the source text ---------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Text as the comparison sees it: lower-case words and numbers, punctuation and spacing ignored."""
    return re.findall(r"[^\W_]+", text.lower().replace("’", "'").replace("'", ""))


@dataclass
class SourceText:
    """The review's text cut into its sections by the headings the data lists."""

    name: str
    sections: dict[str, list[str]]

    @classmethod
    def read(cls, path: Path, headings: list[str]) -> tuple[SourceText, list[str]]:
        """(text, headings not found as a line of their own in the file)."""
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        starts: list[tuple[int, str]] = []
        missing = []
        position = 0
        for heading in headings:
            title = heading.strip()
            found = next(
                (
                    i
                    for i in range(position, len(lines))
                    if lines[i].strip() in (title, f"{title}:") or lines[i].startswith(f"{title}: ")
                ),
                None,
            )
            if found is None:
                missing.append(heading)
                continue
            starts.append((found, heading))
            position = found + 1
        sections = {}
        for n, (start, heading) in enumerate(starts):
            end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
            first = lines[start].strip()[len(heading.strip()) + 1 :]  # "Abstract: text..." runs on
            sections[heading] = words("\n".join([first, *lines[start + 1 : end]]))
        return cls(path.name, sections), missing

    def contains(self, section: str, quote: str) -> bool:
        haystack, needle = self.sections.get(section, []), words(quote)
        if not needle:
            return False
        first = needle[0]
        return any(haystack[i : i + len(needle)] == needle for i, w in enumerate(haystack) if w == first)

    def sections_with(self, quote: str) -> list[str]:
        return [name for name in self.sections if self.contains(name, quote)]


# --- evidence ----------------------------------------------------------------------------------


def texts(value: Any) -> Iterator[str]:
    """Every string inside an item (its prose, outputs, option texts...)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from texts(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts(item)


def says_not_addressed(item: BaseModel) -> bool:
    return any(NOT_ADDRESSED in text.lower() for text in texts(item))


def evidence_problems(
    items: Iterable[tuple[str, Loc, BaseModel]], sections: list[str], source: SourceText | None
) -> Iterator[tuple[Loc, str]]:
    """Problems with the evidence of actionable items: (what, location, item) -> (location, message)."""
    for what, loc, item in items:
        evidence: Evidence | None = getattr(item, "evidence", None)
        if evidence is None:
            if not says_not_addressed(item):
                yield (
                    loc,
                    (
                        f"{what} needs `evidence:`, the review's own words it rests on "
                        '(e.g. {quote: "three to nine words of the review", section: "Its Section Heading"}), '
                        'or it must say "Not addressed by the review"'
                    ),
                )
            continue
        if sections and evidence.section not in sections:
            yield (
                (*loc, "evidence", "section"),
                (f"`{evidence.section}` is not a section of the review; use one of: {', '.join(sections)}"),
            )
            continue
        if source is not None and not source.contains(evidence.section, evidence.quote):
            elsewhere = source.sections_with(evidence.quote)
            hint = (
                f"; it is in the section `{elsewhere[0]}`"
                if elsewhere
                else "; copy the words exactly as the review prints them"
            )
            yield (
                (*loc, "evidence", "quote"),
                (f'"{evidence.quote}" is not in the section `{evidence.section}` of {source.name}{hint}'),
            )


# --- figures typed by hand ---------------------------------------------------------------------

_UNIT_WORDS = sorted(
    {alias: unit for unit, aliases in UNITS.items() for alias in (unit, *aliases) if unit != "fraction"}.items(),
    key=lambda pair: -len(pair[0]),
)
_UNIT_OF = dict(_UNIT_WORDS)
_NUMBER_WITH_UNIT = re.compile(
    r"(?<![\w.,/])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?("
    + "|".join(re.escape(alias) for alias, _ in _UNIT_WORDS)
    + r")(?![\w²])",
    re.IGNORECASE,
)


def typed_figures(text: str) -> Iterator[tuple[str, float, str]]:
    """(as written, number, canonical unit) of each number written with a unit outside [[links]]."""
    plain = markup.LINK.sub(lambda m: " " * len(m.group(0)), text)
    for match in _NUMBER_WITH_UNIT.finditer(plain):
        written = match.group(2)
        unit = _UNIT_OF.get(written) or _UNIT_OF.get(written.lower())
        if unit is None:
            continue
        yield match.group(0), float(match.group(1).replace(",", "")), unit


def figure_numbers(value: Value) -> list[float]:
    return [n for n in (value.value, value.low, value.high) if n is not None]


def copy_problems(text: str, figures: dict[str, Value]) -> list[str]:
    """Numbers typed in `text` that equal one of `figures` (target -> value) in number and unit."""
    problems = []
    for written, number, unit in typed_figures(text):
        same = sorted(t for t, v in figures.items() if v.unit == unit and number in figure_numbers(v))
        if same:
            names = ", ".join(f"[[{t}]]" for t in same[:3])
            problems.append(
                f"`{written}` is typed by hand, but it is the figure {names}; "
                "write the figure reference so the text changes when the figure does"
            )
    return problems


# --- qualifiers and units said twice -----------------------------------------------------------

_SAID_BEFORE = {
    "about": ("about", "approximately", "around", "roughly", "nearly", "~", "circa", "some"),
    "up-to": ("up to", "as many as", "as much as", "at most", "no more than", "≤", "<="),
    "at-least": ("at least", "no fewer than", "no less than", "at or above", "≥", ">="),
    "more-than": ("more than", "over", "above", "greater than", "exceeding", "longer than", "beyond", ">"),
    "less-than": ("less than", "under", "below", "fewer than", "shorter than", "<"),
    "at-most": ("at most", "up to", "no more than", "at or below", "≤", "<="),
}


def doubled_problems(text: str, targets: dict[str, Any]) -> list[str]:
    """`[[x/y]]` links whose figure already prints a qualifier or unit that the prose repeats."""
    problems = []
    for match in markup.LINK.finditer(text):
        target, label = match.group(1).strip(), match.group(2)
        found = targets.get(target)
        value = getattr(found, "value", None)
        if label or not isinstance(value, Value):
            continue
        before = text[: match.start()].rstrip().lower()
        shown = format_value(value)
        for phrase in _SAID_BEFORE.get(value.qualifier or "", ()):
            if before.endswith(phrase) and (
                len(before) == len(phrase) or not before[-len(phrase) - 1].isalnum() or not phrase[0].isalnum()
            ):
                problems.append(
                    f"`{phrase} [[{target}]]` says the qualifier twice: the figure already reads “{shown}”; "
                    f"drop “{phrase}”"
                )
                break
        after = text[match.end() :].lstrip().lower()
        unit_words = [u for u, canonical in _UNIT_WORDS if canonical == value.unit and u[0].isalpha()]
        for word in unit_words:
            if after.startswith(word.lower()) and not after[len(word) : len(word) + 1].isalnum():
                problems.append(
                    f"`[[{target}]] {word}` says the unit twice: the figure already reads “{shown}”; drop “{word}”"
                )
                break
    return problems


# --- where the right answers sit ---------------------------------------------------------------


def option_order(question: Question, seed: int = 0) -> list[Any]:
    """The order options are shown in: fixed by the question id (and the module's `order_seed`),
    so progress and exports stay stable, and unrelated to the order the educator wrote them in."""
    if question.keep_order:
        return list(question.options)

    def rank(option: Any) -> str:
        return hashlib.sha256(f"{seed}:{question.id}:{option.id}".encode()).hexdigest()

    return sorted(question.options, key=rank)


def position_problems(quiz: Quiz) -> list[str]:
    """A module where one position holds more than 40% of the right answers of its single-choice questions."""
    singles = [q for q in quiz.all_questions() if q.type == "single"]
    if len(singles) < MIN_QUESTIONS_FOR_SPREAD:
        return []
    places = Counter(next(i for i, o in enumerate(option_order(q, quiz.order_seed)) if o.correct) for q in singles)
    position, count = places.most_common(1)[0]
    if count / len(singles) <= MAX_POSITION_SHARE:
        return []
    letter = "abcdefghijklmnopqrstuvwxyz"[position]
    return [
        f"the right answer is option ({letter}) in {count} of the {len(singles)} single-choice questions "
        f"(more than {MAX_POSITION_SHARE:.0%}); set `order_seed:` on the module to another number to reorder the "
        "options, or move the answers of questions that keep their order"
    ]
