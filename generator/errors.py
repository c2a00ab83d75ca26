"""Validation errors of pydantic, said the way an educator reads them, at the line they are on.

Positions are 1-based or name the item's id ("`outcomes` item 6 (`cr`)"), wrong shapes come with
the expected form and an example, misspelt field names with a "did you mean", and nothing of
Python's own vocabulary (dictionary, instance, int_parsing) reaches the educator.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from .knowledge import Loc, Origin
from .problems import Problem
from .sections import collections

#: How to write a value of each model that is usually written inline, for "expected" hints.
EXAMPLES: dict[str, str] = {
    "Value": "{value: 34, unit: '%'} (or a range: {low: 5, high: 90, unit: µg/m²/day})",
    "PValue": "{value: 0.001, qualifier: less-than}",
    "Arm": "{label: Salvage chemotherapy, value: {value: 16, unit: '%'}}",
    "Statement": "{text: What the review says, in your words., refs: [18]}",
    "Evidence": '{quote: "three to nine words of the review", section: "Its Section Heading"}',
    "Enrolment": "{enrolled: 405, evaluable: 376}",
    "Incidence": "{all_grades: {value: 15, unit: '%'}, grade_3_plus: {value: 5, unit: '%'}, refs: [19]}",
    "NumericAnswer": "{figure: tower/cr, tolerance: 0}",
    "TableCheck": '{table: crs-management, given: {grade: "3"}}',
    "Source": "{authors: ..., title: ..., journal: ..., year: 2020, details: ..., doi: ..., license: ...}",
}

_SIMPLE = {
    "string_type": "write text here",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "float_type": "write a number",
    "float_parsing": "write a number",
    "finite_number": "write an ordinary (finite) number",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "list_type": "write a list, e.g. [1, 2] or one `- ` item per line",
    "dict_type": "write a mapping of `key: value` pairs",
}


def problems_of(err: ValidationError, origin: Origin) -> list[Problem]:
    """One problem per error pydantic found in the item written at `origin`."""
    details = [(d, tuple(p for p in d["loc"] if not (isinstance(p, str) and "[" in p))) for d in err.errors()]
    # a misspelt field is one mistake: "unknown field `mesure`; did you mean `measure`?", not also
    # "missing required field `measure`"
    explained = set()
    for detail, loc in details:
        if detail["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _allowed_fields(origin, loc), n=1, cutoff=0.6)
            if close:
                explained.add((*loc[:-1], close[0]))
    problems = []
    for detail, loc in details:
        if detail["type"] == "missing" and loc in explained:
            continue
        path, line = origin.at(*loc)
        problems.append(Problem(path, line, _message(detail, origin, loc)))
    return problems


def _message(detail: Any, origin: Origin, loc: Loc) -> str:
    kind, ctx = detail["type"], detail.get("ctx") or {}
    where = _where(origin, loc)
    if kind == "extra_forbidden":
        allowed = _allowed_fields(origin, loc)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        listed = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return f"unknown field `{loc[-1]}`{hint}{listed}"
    if kind == "missing":
        model = _model_at(origin, loc[:-1])
        example = _example_of(model, str(loc[-1])) if model is not None else "..."
        ident = _data_at(origin, ()) or {}
        item = f" of `{ident['id']}`" if isinstance(ident, dict) and isinstance(ident.get("id"), str) else ""
        inside = f" in {_where(origin, loc[:-1])}" if len(loc) > 1 else item
        return f"missing required field `{loc[-1]}`{inside}" + (
            f"; e.g. {loc[-1]}: {example}" if example != "..." else ""
        )
    prefix = f"{where}: " if where else ""
    if kind == "model_type" or kind == "model_attributes_type":
        name = ctx.get("class_name", "")
        example = EXAMPLES.get(name)
        return prefix + (f"write this as a mapping, e.g. {example}" if example else "write this as a mapping of fields")
    if kind == "literal_error":
        return prefix + f"use one of: {ctx.get('expected', '').replace(chr(39), '')}"
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(ctx.get("pattern", "")):
            return prefix + "an id is lower-case letters, digits and single hyphens, e.g. `tower` or `crs-management`"
        return prefix + "this text does not have the expected form" + _described(origin, loc)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        word = {"greater_than_equal": "at least", "greater_than": "more than", "less_than_equal": "at most"}.get(
            kind, "less than"
        )
        return prefix + f"must be {word} {bound:g}" if isinstance(bound, int | float) else prefix + detail["msg"]
    if kind in ("too_short", "string_too_short"):
        return prefix + (
            "must not be empty" if ctx.get("min_length") == 1 else f"needs at least {ctx.get('min_length')}"
        )
    if kind == "string_too_long":
        return prefix + f"is too long (at most {ctx.get('max_length')} characters)"
    if kind in _SIMPLE:
        return prefix + _SIMPLE[kind] + _described(origin, loc)
    return prefix + detail["msg"].removeprefix("Value error, ")


def _where(origin: Origin, loc: Loc) -> str:
    """`outcomes` item 6 (`cr`), `value`: the place in words, positions 1-based, items by their id."""
    parts: list[str] = []
    data: Any = _data_at(origin, ())
    for part in loc:
        if isinstance(part, int):
            item = data[part] if isinstance(data, list) and part < len(data) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts[-1:] = [
                f"{parts[-1] if parts else ''} item {part + 1}" + (f" (`{ident}`)" if isinstance(ident, str) else "")
            ]
            data = item
        else:
            parts.append(f"`{part}`")
            data = data.get(part) if isinstance(data, dict) else None
    return ", ".join(p.strip() for p in parts)


def _data_at(origin: Origin, loc: Loc) -> Any:
    data: Any = origin.doc.data
    for part in (*origin.loc, *loc):
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _model_at(origin: Origin, loc: Loc) -> type[BaseModel] | None:
    model: Any = collections().get(str(origin.loc[0]))
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        nested = [a for a in _flatten(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        model = nested[0] if nested else None
    return model


def _allowed_fields(origin: Origin, loc: Loc) -> list[str]:
    model = _model_at(origin, loc[:-1])
    return list(model.model_fields) if model is not None else []


def _example_of(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    examples = (info.json_schema_extra or {}).get("examples") if isinstance(info.json_schema_extra, dict) else None
    if info.examples or examples:
        return str((info.examples or examples)[0])
    nested = [a for a in _flatten(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    if nested and nested[0].__name__ in EXAMPLES:
        return EXAMPLES[nested[0].__name__]
    return "..."


def _described(origin: Origin, loc: Loc) -> str:
    """The field's own description, where the schema has one: what it is for."""
    model = _model_at(origin, loc[:-1]) if loc else None
    name = loc[-1] if loc else None
    if model is None or not isinstance(name, str) or name not in model.model_fields:
        return ""
    description = model.model_fields[name].description
    return f" ({description.rstrip('.')})" if description else ""


def _flatten(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in typing.get_args(tp):
        yield from _flatten(arg)
