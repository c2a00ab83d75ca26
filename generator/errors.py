"""Validation errors of pydantic, said the way an educator reads them, at the line they are on."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from .knowledge import Loc, Origin
from .problems import Problem
from .sections import collections


def problems_of(err: ValidationError, origin: Origin) -> list[Problem]:
    """One problem per error pydantic found in the item written at `origin`."""
    problems = []
    for detail in err.errors():
        loc = tuple(p for p in detail["loc"] if not (isinstance(p, str) and "[" in p))
        path, line = origin.at(*loc)
        where = ".".join(str(p) for p in loc)
        kind, msg = detail["type"], detail["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden":
            allowed = _allowed_fields(origin, loc)
            msg = f"unknown field `{loc[-1]}`" + (f"; allowed here: {allowed}" if allowed else "")
        elif kind == "missing":
            msg = f"missing required field `{loc[-1]}`"
        else:
            msg = f"`{where}`: {msg}" if where else msg
        problems.append(Problem(path, line, msg))
    return problems


def _allowed_fields(origin: Origin, loc: Loc) -> str:
    model: Any = collections()[str(origin.loc[0])]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return ""
        nested = [a for a in _flatten(info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            return ""
        model = nested[0]
    return ", ".join(model.model_fields)


def _flatten(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in typing.get_args(tp):
        yield from _flatten(arg)
