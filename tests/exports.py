"""Knowledge bases for the export tests: the fictional mini fixture and the real data."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from conftest import MINI_DATA, ROOT, review_of


def load(data: Path) -> Any:
    """The one review of a copy of the mini fixture (e.g. after an edit)."""
    return review_of(data, "examplumab")


@functools.cache
def mini() -> Any:
    return review_of(MINI_DATA, "examplumab")


@functools.cache
def real() -> Any:
    return review_of(ROOT / "data", "blinatumomab", ROOT)


#: Both knowledge bases, for `pytest.mark.parametrize("kb", KBS, indirect=True)`.
KBS = ["mini", "real"]


def by_name(name: str) -> Any:
    return mini() if name == "mini" else real()


def questions(kb: Any) -> list[tuple[Any, Any, str | None]]:
    """(module, question, case stem or None) in the order the exports write them."""
    found = []
    for quiz in kb.items("quizzes"):
        found += [(quiz, q, None) for q in quiz.questions]
        found += [(quiz, q, v.stem) for v in quiz.vignettes for q in v.questions]
    return found
