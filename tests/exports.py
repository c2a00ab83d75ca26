"""Knowledge bases for the export tests: the fictional mini fixture and the real data.

The real data is loaded with the fidelity checks (evidence quotes, figures typed by hand) switched
off: they judge the wording of the data, which the exports do not read, and data/ may carry such
problems while they are being fixed on another branch. Every other check still runs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_DATA, ROOT

from generator import fidelity, knowledge


def load(data: Path) -> Any:
    (kb,) = knowledge.load_site(data, data.parent)
    return kb


def load_without_fidelity(data: Path) -> Any:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(knowledge, "_check_fidelity", lambda *args, **kwargs: None)
        mp.setattr(fidelity, "copy_problems", lambda *args, **kwargs: [])
        mp.setattr(fidelity, "doubled_problems", lambda *args, **kwargs: [])
        return load(data)


@functools.cache
def mini() -> Any:
    return load(MINI_DATA)


@functools.cache
def real() -> Any:
    return load_without_fidelity(ROOT / "data")


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
