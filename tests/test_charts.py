"""Charts: rates grouped so only like is put beside like, and a timeline whose words fit its bars."""

from __future__ import annotations

import re
from types import SimpleNamespace

from generator import charts
from generator.schema import Regimen, Value


def trial(tid: str, setting: str, *outcomes: tuple[str, float, str | None]) -> SimpleNamespace:
    return SimpleNamespace(
        id=tid,
        title=tid.upper(),
        short_title=tid.upper(),
        setting=setting,
        n=SimpleNamespace(enrolled=100, evaluable=None),
        outcomes=[
            SimpleNamespace(headline=True, measure=m, group=g, n=None, value=Value(value=v, unit="%"))
            for m, v, g in outcomes
        ],
    )


def test_rates_are_grouped_by_setting_then_endpoint():
    trials = [
        trial("a", "relapsed-refractory", ("Complete remission", 34, "Blinatumomab"), ("CR/CRi", 80, None)),
        trial("b", "relapsed-refractory", ("CR or CR with partial haematological recovery (CRh)", 43, None)),
        trial("c", "mrd-positive", ("MRD negativity after cycle 1", 78, "Evaluable patients")),
        trial("d", "frontline", ("Complete remission", 100, None)),
        trial("e", "other", ("Overall response", 50, None)),
    ]
    titles = {
        "relapsed-refractory": "Relapsed/refractory",
        "mrd-positive": "MRD-positive",
        "frontline": "Frontline",
        "other": "Other studies",
    }
    kb = SimpleNamespace(setting_title=lambda s: titles[s])  # the review's own names of its settings
    groups = charts.response_groups(trials, kb)
    assert [(setting, heading) for setting, heading, _ in groups] == [
        ("relapsed-refractory", "Relapsed/refractory"),
        ("mrd-positive", "MRD-positive"),
        ("frontline", "Frontline"),
        ("other", "Other studies"),
    ]
    rr = {endpoint: [b.trial for b in bars] for endpoint, bars in groups[0][2]}
    assert rr == {
        "Complete remission with or without partial haematological recovery (CR/CRh)": ["B"],
        "Complete remission with or without incomplete count recovery (CR/CRi)": ["A"],
        "Complete remission (CR)": ["A"],
    }
    assert groups[3][2][0][0] == "Overall response"  # an endpoint the chart does not know stands alone
    html = str(charts.response_chart("x", "R/R", groups[0][2]))
    # each bar says its trial, its endpoint as reported, its population and its value with n
    row = re.search(r'<li class="kb-bars__row">(.*?)</li>', html.split("Complete remission (CR)")[1]).group(1)
    text = re.sub(r"<[^>]+>", " ", row)
    assert " ".join(text.split()) == "A Complete remission · Blinatumomab 34% (n not stated)"
    assert '<rect class="kb-bars__bar" width="34" height="10"/>' in row


def test_a_dose_too_long_for_its_bar_is_written_under_it():
    regimen = Regimen.model_validate(
        {
            "id": "r",
            "title": "R",
            "cycle_length": {"value": 6, "unit": "weeks"},
            "refs": [1],
            "steps": [
                {
                    "id": "a",
                    "cycle": "1",
                    "first_day": 1,
                    "last_day": 7,
                    "dose": {"value": 9, "unit": "µg/day"},
                    "refs": [1],
                },
                {
                    "id": "b",
                    "cycle": "1",
                    "first_day": 8,
                    "last_day": 28,
                    "dose": {"value": 28, "unit": "µg/day"},
                    "refs": [1],
                },
                {"id": "c", "cycle": "1", "first_day": 29, "last_day": 42, "refs": [1]},
            ],
        }
    )
    svg = str(charts.dosing_timeline("t", "R: dose by day of cycle", regimen))
    assert 'width="100%"' in svg and "viewBox" not in svg  # text is not scaled down with the picture
    inside = re.findall(r'<text class="kb-chart__step[^"]*"[^>]*>([^<]*)</text>', svg)
    under = re.findall(r'<text class="kb-chart__note"[^>]*>([^<]*)</text>', svg)
    assert inside == ["28 µg/day", "no infusion"] and under == ["Days 1–7: 9 µg/day"]
    ticks = re.findall(r'<text class="kb-chart__tick"[^>]*>([^<]*)</text>', svg)
    assert ticks == ["1", "8", "15", "22", "29", "36", "42", "Day of the cycle"]
