"""Charts drawn at build time as accessible inline SVG: no chart library, no network.

Each chart is a <figure> holding an <svg role="img"> whose <title> and <desc> say in words what
the picture shows, so a screen reader gets the same facts as a sighted reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markupsafe import Markup

from .values import format_value


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float
    text: str  # the value as printed, e.g. "43%"
    n: int | None


def headline_bars(trials: list[Any]) -> list[tuple[Any, Any, Bar]]:
    """(trial, outcome, bar) of each headline rate of the trials, for the response-rate chart."""
    bars = []
    for t in trials:
        for o in t.outcomes:
            if not (o.headline and o.value.unit == "%" and o.value.value is not None):
                continue
            n = o.n or o.value.of or (t.n.evaluable or t.n.enrolled if t.n and not o.group else None)
            bars.append(
                (t, o, Bar(f"{t.short_title or t.title} – {o.measure}", o.value.value, format_value(o.value), n))
            )
    return bars


def _figure(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str], caption: str) -> Markup:
    svg = (
        f'<svg class="kb-chart__svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    return Markup(f'<figure class="kb-chart" id="{chart_id}">{svg}<figcaption>{escape(caption)}</figcaption></figure>')


def response_chart(chart_id: str, title: str, bars: list[Bar]) -> Markup:
    """Horizontal bars, one per trial outcome, 0-100%, each labelled with its value and n."""
    label_w, bar_w, row_h, top = 300, 330, 30, 28
    width, height = label_w + bar_w + 90, top + row_h * len(bars) + 10
    body = []
    for tick in range(0, 101, 25):
        x = label_w + bar_w * tick / 100
        body.append(f'<line class="kb-chart__grid" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}"/>')
        body.append(f'<text class="kb-chart__tick" x="{x:.1f}" y="{top - 10}" text-anchor="middle">{tick}%</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_h
        n = "" if "/" in bar.text else f" (n = {bar.n})" if bar.n else " (n not stated)"
        body.append(
            f'<text class="kb-chart__label" x="{label_w - 8}" y="{y + 19}" text-anchor="end">{escape(bar.label)}</text>'
        )
        w = bar_w * bar.percent / 100
        body.append(f'<rect class="kb-chart__bar" x="{label_w}" y="{y + 6}" width="{w:.1f}" height="{row_h - 12}"/>')
        body.append(
            f'<text class="kb-chart__value" x="{label_w + w + 6:.1f}" y="{y + 19}">{escape(bar.text + n)}</text>'
        )
    desc = "; ".join(
        f"{b.label}: {b.text}" + ("" if "/" in b.text else f", n = {b.n}" if b.n else ", n not stated") for b in bars
    )
    return _figure(chart_id, title, desc, width, height, body, title)


def dosing_timeline(chart_id: str, title: str, regimen: object) -> Markup:
    """One row per cycle group, days along the x axis, each dosing step a labelled segment."""
    days = regimen.days()  # type: ignore[attr-defined]
    rows: dict[str, list] = {}
    for step in regimen.steps:  # type: ignore[attr-defined]
        rows.setdefault(step.cycle, []).append(step)
    label_w, plot_w, row_h, top = 110, 560, 46, 30
    width, height = label_w + plot_w + 20, top + row_h * len(rows) + 30
    scale = plot_w / days
    body, words = [], []
    for i, (cycle, steps) in enumerate(rows.items()):
        y = top + i * row_h
        name = f"Cycle {cycle}" if cycle[0].isdigit() else cycle.capitalize()
        name = name.replace("+", " onwards")
        body.append(
            f'<text class="kb-chart__label" x="{label_w - 8}" y="{y + 25}" text-anchor="end">{escape(name)}</text>'
        )
        parts = []
        for step in sorted(steps, key=lambda s: s.first_day):
            x, w = label_w + (step.first_day - 1) * scale, (step.last_day - step.first_day + 1) * scale
            dose = format_value(step.dose) if step.dose else "no infusion"
            cls = "kb-chart__dose" if step.dose else "kb-chart__off"
            body.append(f'<rect class="{cls}" x="{x:.1f}" y="{y + 8}" width="{w:.1f}" height="{row_h - 16}" rx="3"/>')
            body.append(
                f'<text class="kb-chart__step" x="{x + w / 2:.1f}" y="{y + 28}" text-anchor="middle">'
                f"{escape(dose)}</text>"
            )
            parts.append(f"days {step.first_day}–{step.last_day} {dose}")
        words.append(f"{name}: " + ", ".join(parts))
    axis_y = top + row_h * len(rows) + 14
    for day in sorted({1, *range(8, days + 1, 7), days}):
        x = label_w + (day - 0.5) * scale
        body.append(f'<text class="kb-chart__tick" x="{x:.1f}" y="{axis_y}" text-anchor="middle">{day}</text>')
    body.append(f'<text class="kb-chart__tick" x="{label_w - 8}" y="{axis_y}" text-anchor="end">Day</text>')
    return _figure(chart_id, title, ". ".join(words) + ".", width, height, body, title)
