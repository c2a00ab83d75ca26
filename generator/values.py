"""How figures read on a page: `format_value(Value(value=43, unit="%"))` gives "43%"."""

from __future__ import annotations

import math

from .schema import PValue, Value

_QUALIFIER = {
    "about": "~",
    "up-to": "up to ",
    "at-least": "≥",
    "more-than": ">",
    "less-than": "<",
    "at-most": "≤",
    None: "",
}
_TIGHT_UNITS = {"%", "/µL"}
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_SINGULAR = {
    "hours": "hour",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",
    "cycles": "cycle",
    "patients": "patient",
}


def format_number(number: float, unit: str = "", decimals: int | None = None) -> str:
    """1234.0 -> '1,234', 4.52 -> '4.52', 1e-4 as a fraction -> '10⁻⁴'; `decimals` fixes the places."""
    if decimals is not None:
        return f"{number:,.{decimals}f}"
    if unit == "fraction" and number > 0:
        exponent = math.log10(number)
        if abs(exponent - round(exponent)) < 1e-9:
            return "10" + str(round(exponent)).translate(_SUPERSCRIPT)
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.10f}".rstrip("0").rstrip(".")


def unit_after(unit: str | None) -> str:
    """What follows a number for `unit`: '%' and '/µL' sit tight, other units after a space."""
    if not unit or unit == "fraction":
        return ""
    return unit if unit in _TIGHT_UNITS else f" {unit}"


def _with_unit(text: str, unit: str, number: float) -> str:
    if unit == "fraction":
        return text
    if unit in _TIGHT_UNITS:
        return text + unit
    if number == 1 and unit in _SINGULAR:
        unit = _SINGULAR[unit]
    return f"{text} {unit}"


def format_value(value: Value) -> str:
    """The figure as a reader expects it, with qualifier, unit and count (e.g. '80% (16/20)')."""
    prefix = _QUALIFIER[value.qualifier]
    if value.unit == "patients" and value.of is not None and value.value is not None:
        return f"{prefix}{format_number(value.value)} of {value.of} patients"
    if value.value is not None:
        text = _with_unit(format_number(value.value, value.unit, value.decimals), value.unit, value.value)
    else:
        assert value.low is not None and value.high is not None
        low = format_number(value.low, value.unit, value.decimals)
        high = format_number(value.high, value.unit, value.decimals)
        text = _with_unit(f"{low}–{high}", value.unit, value.high)
    text = prefix + text
    if value.count is not None and value.of is not None:
        text += f" ({value.count}/{value.of})"
    return text


def format_p(p: PValue) -> str:
    return f"P {'<' if p.qualifier == 'less-than' else '='} {format_number(p.value, decimals=p.decimals)}"
