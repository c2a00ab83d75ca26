"""data/ against the source review: every figure of the review is in the data, typed, and every
typed number in the data occurs in the review. A wrong dose or percentage is the worst bug here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import review_of
from pydantic import BaseModel

from generator.schema import PValue, Value

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "source" / "blinatumomab-review-2020.txt"
FIXTURE = yaml.safe_load((ROOT / "tests" / "fixtures" / "source_figures.yaml").read_text(encoding="utf-8"))
UNIT = {"µg/m²/day": "µg/m²/day", "p": "p"}


@pytest.fixture(scope="module")
def kb():
    kb = review_of(ROOT / "data", "blinatumomab", ROOT)
    return kb


def typed_values(model: object) -> list[Value | PValue]:
    found: list[Value | PValue] = []
    if isinstance(model, (Value, PValue)):
        return [model]
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            found += typed_values(getattr(model, name))
    elif isinstance(model, list | tuple):
        for item in model:
            found += typed_values(item)
    return found


def all_values(kb) -> list[Value | PValue]:
    values = typed_values(kb.review)
    for items in kb.entities.values():
        values += typed_values(list(items.values()))
    return values


def keys(values: list[Value | PValue]) -> Counter:
    """(number, unit) for each single value, and (low, high, unit) for each range."""
    counted: Counter = Counter()
    for v in values:
        if isinstance(v, PValue):
            counted[(round(v.value, 6), "p")] += 1
        elif v.value is not None:
            counted[(round(v.value, 9), v.unit)] += 1
        else:
            counted[(round(v.low, 9), round(v.high, 9), v.unit)] += 1
    return counted


def fixture_keys(entries: list[dict]) -> Counter:
    counted: Counter = Counter()
    for e in entries:
        unit = e["unit"]
        if "value" in e:
            counted[(round(float(e["value"]), 9 if unit != "p" else 6), unit)] += 1
        else:
            counted[(round(float(e["low"]), 9), round(float(e["high"]), 9), unit)] += 1
    return counted


@pytest.mark.parametrize("section", ["figures", "doses"])
def test_every_figure_of_the_review_is_typed_in_the_data(kb, section):
    have = keys(all_values(kb))
    want = fixture_keys(FIXTURE[section])
    missing = {k: n - have[k] for k, n in want.items() if have[k] < n}
    about = {k: [e["about"] for e in FIXTURE[section] if fixture_keys([e]) == Counter({k: 1})] for k in missing}
    assert not missing, "figures of the review missing from data/ (figure: how many more): " + "; ".join(
        f"{k} x{n} ({', '.join(about[k])})" for k, n in missing.items()
    )


def test_every_doi_of_the_reference_list_is_in_the_data(kb):
    dois = [r.doi for _, r in sorted(kb.references.items()) if r.doi]
    assert dois == FIXTURE["dois"]


def test_all_52_references_are_there(kb):
    assert sorted(kb.references) == list(range(1, 53))


_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "twenty": 20,
    "forty-five": 45,
    "fifty": 50,
    "sixty-seven": 67,
    "forty-nine": 49,
    "twenty-percent": 20,
    "third": 3,
    "no": 0,
}


def source_numbers() -> set[float]:
    text = SOURCE.read_text(encoding="utf-8")
    body = text[text.index("Abstract:") : text.index("\nDisclosure")]
    numbers = {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", body)}
    numbers |= {10.0 ** -int(e) for e in re.findall(r"10\s*[−-]\s*(\d)", body)}
    numbers |= {float(v) for w, v in _WORDS.items() if re.search(rf"\b{w}\b", body, re.I)}
    return numbers


def test_the_fixture_holds_every_number_of_the_review():
    if not SOURCE.exists():
        pytest.skip(f"the source review is not beside the project ({SOURCE}); CI has it")
    assert sorted(source_numbers()) == [float(n) for n in FIXTURE["numbers"]]


def test_every_typed_number_in_the_data_occurs_in_the_review(kb):
    """Catches a mistyped figure (4.25 for 4.52) that the coverage test above would not."""
    numbers = [float(n) for n in FIXTURE["numbers"]]
    stray = []
    for v in all_values(kb):
        for n in [v.value] if isinstance(v, PValue) else [x for x in (v.value, v.low, v.high) if x is not None]:
            if not any(abs(n - s) <= 1e-9 * max(1.0, abs(s)) for s in numbers):
                stray.append(n)
    assert not stray, f"numbers in data/ that the review never states: {sorted(set(stray))}"
