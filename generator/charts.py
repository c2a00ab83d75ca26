"""Charts drawn at build time: no chart library, no network, text a phone can read.

The response-rate chart is HTML (a list per group, each bar a small decorative SVG), so its words
wrap and keep the page's type size at any width; a screen reader reads each row as a sentence. The
dosing timeline is an SVG laid out in percentages of its width with its text in CSS pixels, so it
fills the column without its text shrinking; its <title> and <desc> say in words what it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from .values import format_value


@dataclass(frozen=True)
class Bar:
    trial: str  # the trial's short title
    measure: str  # the endpoint as the trial reports it
    population: str | None  # the arm or subgroup the rate belongs to
    percent: float
    text: str  # the value as printed, e.g. "43%"
    n: int | None

    @property
    def label(self) -> str:
        return f"{self.trial} – {self.measure}" + (f" ({self.population})" if self.population else "")

    @property
    def value(self) -> str:
        """The value with the number of patients it is a share of, e.g. '34% (n = 271)'."""
        return self.text + ("" if "/" in self.text else f" (n = {self.n})" if self.n else " (n not stated)")


#: Endpoint groups of the response chart, found in an outcome's measure (first match wins). Rates
#: of different endpoints are never put side by side; a measure that matches none is its own group.
ENDPOINTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bMRD\b|minimal residual", re.I), "MRD negativity"),
    (re.compile(r"molecular", re.I), "Molecular response"),
    (re.compile(r"\bCRh\b"), "Complete remission with or without partial haematological recovery (CR/CRh)"),
    (re.compile(r"\bCRi\b"), "Complete remission with or without incomplete count recovery (CR/CRi)"),
    (re.compile(r"\bCR\b|complete remission", re.I), "Complete remission (CR)"),
]


def endpoint_of(measure: str) -> str:
    return next((name for pattern, name in ENDPOINTS if pattern.search(measure)), measure)


def headline_bars(trials: list[Any]) -> list[tuple[Any, Any, Bar]]:
    """(trial, outcome, bar) of each headline rate of the trials, for the response-rate chart."""
    bars = []
    for t in trials:
        for o in t.outcomes:
            if not (o.headline and o.value.unit == "%" and o.value.value is not None):
                continue
            n = o.n or o.value.of or (t.n.evaluable or t.n.enrolled if t.n and not o.group else None)
            bar = Bar(t.short_title or t.title, o.measure, o.group, o.value.value, format_value(o.value), n)
            bars.append((t, o, bar))
    return bars


def response_groups(trials: list[Any], kb: Any) -> list[tuple[str, str, list[tuple[str, list[Bar]]]]]:
    """The headline rates as (setting, its heading, [(endpoint, bars)]): settings in the order of the
    trials, endpoints in the order of ENDPOINTS (then as first met), bars in the order of the trials."""
    found: dict[str, dict[str, list[Bar]]] = {}
    for trial, outcome, bar in headline_bars(trials):
        found.setdefault(trial.setting, {}).setdefault(endpoint_of(outcome.measure), []).append(bar)
    rank = {name: i for i, (_, name) in enumerate(ENDPOINTS)}
    return [
        (setting, kb.setting_title(setting), sorted(groups.items(), key=lambda g: rank.get(g[0], len(rank))))
        for setting, groups in found.items()
    ]


def response_chart(chart_id: str, caption: str, groups: list[tuple[str, list[Bar]]]) -> Markup:
    """One setting's headline rates: per endpoint a list of rows (trial, endpoint as reported and
    population; a bar from 0 to 100%; the value and n)."""
    parts = [f'<figure class="kb-chart kb-bars" id="{escape(chart_id)}"><figcaption>{escape(caption)}</figcaption>']
    for endpoint, bars in groups:
        parts.append(f'<p class="kb-bars__endpoint">{escape(endpoint)}</p><ul class="kb-bars__list">')
        for bar in bars:
            detail = bar.measure + (f" · {bar.population}" if bar.population else "")
            parts.append(
                '<li class="kb-bars__row"><span class="kb-bars__label">'
                f'<span class="kb-bars__trial">{escape(bar.trial)}</span> '
                f'<span class="kb-bars__detail">{escape(detail)}</span></span>'
                '<svg class="kb-bars__track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
                'focusable="false" xmlns="http://www.w3.org/2000/svg"><rect class="kb-bars__scale" width="100" '
                f'height="10"/><rect class="kb-bars__bar" width="{min(max(bar.percent, 0), 100):g}" height="10"/>'
                f'</svg><span class="kb-bars__value">{escape(bar.value)}</span></li>'
            )
        parts.append("</ul>")
    parts.append("</figure>")
    return Markup("".join(parts))


def _figure(chart_id: str, title: str, desc: str, height: int, body: list[str], caption: str) -> Markup:
    svg = (
        f'<svg class="kb-chart__svg" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    return Markup(f'<figure class="kb-chart" id="{chart_id}">{svg}<figcaption>{escape(caption)}</figcaption></figure>')


#: The timeline's text is drawn at TEXT_PX (kb.css sets the same size); a dose is written inside its
#: bar only where it fits at the narrowest column it is drawn in (NARROWEST_PX), else on a line under
#: the bar. CHAR_PX is a generous average width of one character at that size.
TEXT_PX, CHAR_PX, NARROWEST_PX = 13, 7.2, 280


def _pct(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") + "%"


def dosing_timeline(chart_id: str, title: str, regimen: object) -> Markup:
    """One row per cycle group, days from left to right, each dosing step a labelled segment."""
    days = regimen.days()  # type: ignore[attr-defined]
    rows: dict[str, list] = {}
    for step in regimen.steps:  # type: ignore[attr-defined]
        rows.setdefault(step.cycle, []).append(step)
    bar_h, line = 24, TEXT_PX + 5
    body, words = [], []
    y = 0
    for cycle, steps in rows.items():
        name = f"Cycle {cycle}" if cycle[0].isdigit() else cycle.capitalize()
        name = name.replace("+", " onwards")
        y += line
        body.append(f'<text class="kb-chart__label" x="0" y="{y - 4}">{escape(name)}</text>')
        top = y + 2
        parts, below = [], []
        for step in sorted(steps, key=lambda s: s.first_day):
            start, width = (step.first_day - 1) / days, (step.last_day - step.first_day + 1) / days
            dose = format_value(step.dose) if step.dose else "no infusion"
            cls = "kb-chart__dose" if step.dose else "kb-chart__off"
            body.append(
                f'<rect class="{cls}" x="{_pct(100 * start)}" y="{top}" width="{_pct(100 * width)}" '
                f'height="{bar_h}" rx="3"/>'
            )
            if len(dose) * CHAR_PX + 8 <= width * NARROWEST_PX:
                body.append(
                    f'<text class="kb-chart__step{"" if step.dose else " kb-chart__step--off"}" '
                    f'x="{_pct(100 * (start + width / 2))}" y="{top + bar_h / 2 + 4.5:g}" text-anchor="middle">'
                    f"{escape(dose)}</text>"
                )
            else:
                below.append((start, width, f"Days {step.first_day}–{step.last_day}: {dose}"))
            parts.append(f"days {step.first_day}–{step.last_day} {dose}")
        y = top + bar_h
        for start, width, text in below:  # each on a line of its own, under its segment, inside the chart
            y += line
            if start + width / 2 <= 0.5:
                body.append(f'<text class="kb-chart__note" x="{_pct(100 * start)}" y="{y - 4}">{escape(text)}</text>')
            else:
                body.append(
                    f'<text class="kb-chart__note" x="{_pct(100 * (start + width))}" y="{y - 4}" '
                    f'text-anchor="end">{escape(text)}</text>'
                )
        y += 10
        words.append(f"{name}: " + ", ".join(parts))
    y += line
    week = 7 * -(-days // 56)  # a tick each week, or each few weeks for long cycles: at most 9 ticks
    ticks = sorted({1, *range(1 + week, days - week // 2, week), days})
    for day in ticks:
        anchor = "start" if day == ticks[0] else "end" if day == ticks[-1] else "middle"
        x = (day - 1) / days if anchor == "start" else day / days if anchor == "end" else (day - 0.5) / days
        body.append(f'<text class="kb-chart__tick" x="{_pct(100 * x)}" y="{y - 4}" text-anchor="{anchor}">{day}</text>')
    y += line
    body.append(f'<text class="kb-chart__tick" x="0" y="{y - 4}">Day of the cycle</text>')
    return _figure(chart_id, title, ". ".join(words) + ".", y + 2, body, title)
