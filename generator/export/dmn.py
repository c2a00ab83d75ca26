"""Decision tables as DMN 1.3 XML, one file per table, for DMN tools (Camunda, Kogito/KIE,
Trisotech, pyDMNrules...).

Each input keeps its type (`string` with its allowed values, `number` with its domain, `boolean`);
each condition is written as the FEEL unary test the educator wrote (`"1","2"`, `< 30`,
`[30..60)`, `true`, `-`), not as this project's reading of it, so that an independent DMN engine
checks that reading. Outputs are FEEL strings with figures as the site prints them (`-` becomes
null). The `priority` hit policy ranks rules by number, where DMN ranks them by the order of an
output's values: a first output `priority` carries each rule's number, its values listed from the
highest. Each rule's id is its `label` (and, FEEL-safe, in its `id`), its rationale its description.
"""

from __future__ import annotations

import decimal
import re
import xml.etree.ElementTree as ET
from typing import Any

from ..schema import DecisionInput, DecisionTable
from . import prose

DMN = "https://www.omg.org/spec/DMN/20191111/MODEL/"
_TYPES = {"enum": "string", "number": "number", "boolean": "boolean"}
_COMPARE = re.compile(r"^(<=|>=|<|>|=)?\s*([-+]?\d+(?:\.\d+)?)$")
_INTERVAL = re.compile(r"^([\[(])\s*([-+]?\d+(?:\.\d+)?)\s*\.\.\s*([-+]?\d+(?:\.\d+)?)\s*([\])])$")


def name(identifier: str) -> str:
    """A FEEL name for an id of the data: FEEL would read `days-to-resolve` as a subtraction."""
    return identifier.replace("-", "_") if not identifier[0].isdigit() else f"_{identifier.replace('-', '_')}"


def string(text: str) -> str:
    """A FEEL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def number(text: str) -> str:
    """A FEEL number: no leading '+', as written otherwise."""
    return text.lstrip("+")


def unary_test(inp: DecisionInput, raw: Any, kb: Any = None) -> str:
    """The FEEL unary test for a condition as written in the data (a figure it names, as its number)."""
    if raw is None or raw == "-":
        return "-"
    if inp.type == "boolean":
        return "true" if raw is True else "false" if raw is False else str(raw)
    if inp.type == "enum":
        values = raw if isinstance(raw, list) else [raw]
        return ",".join(string(str(v)) for v in values)
    text = str(raw).strip()
    if "[[" in text and kb is not None:
        text = re.sub(r"\[\[\s*([^\[\]|]+?)\s*(?:\|\s*(low|high)\s*)?\]\]", lambda m: _figure(kb, m), text)
    if m := _INTERVAL.match(text):
        return f"{m.group(1)}{number(m.group(2))}..{number(m.group(3))}{m.group(4)}"
    if m := _COMPARE.match(text):
        op = m.group(1) or "="
        return number(m.group(2)) if op == "=" else f"{op} {number(m.group(2))}"
    raise ValueError(f"cannot write `{text}` as FEEL")  # the build's check refuses it first


def _el(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs or {})  # unqualified: the root declares the DMN namespace
    if text is not None:
        ET.SubElement(element, "text").text = text
    return element


def _fmt(x: float) -> str:
    """A FEEL number, exactly the float's value (never rounded to six digits)."""
    return f"{int(x)}" if float(x).is_integer() else format(decimal.Decimal(repr(float(x))), "f")


def _figure(kb: Any, match: re.Match[str]) -> str:
    """The number a `[[entity/figure]]` or `[[entity/band|low]]` in a condition stands for."""
    value = kb.targets[match.group(1)].value
    return _fmt(getattr(value, match.group(2) or "value"))


def definitions(kb: Any, table: DecisionTable) -> ET.Element:
    """One table as DMN `definitions` holding one decision."""
    root = ET.Element(
        "definitions",
        {
            "xmlns": DMN,
            "id": f"definitions_{name(table.id)}",
            "name": table.title,
            "namespace": f"urn:kb-site:{kb.review.id}",
        },
    )
    ET.SubElement(root, "description").text = prose.to_plain(kb, table.summary)
    decision = ET.SubElement(root, "decision", {"id": f"decision_{name(table.id)}", "name": table.title})
    policy = table.hit_policy.upper()
    dt = ET.SubElement(decision, "decisionTable", {"id": f"table_{name(table.id)}", "hitPolicy": policy})
    for inp in table.inputs:
        element = _el(dt, "input", {"id": f"input_{name(inp.id)}", "label": inp.label})
        _el(
            element,
            "inputExpression",
            {"id": f"input_{name(inp.id)}_expression", "typeRef": _TYPES[inp.type]},
            text=name(inp.id),
        )
        if inp.type == "enum":
            _el(element, "inputValues", text=",".join(string(v) for v in inp.values))
        elif inp.type == "number":
            assert inp.min is not None and inp.max is not None
            _el(element, "inputValues", text=f"[{_fmt(inp.min)}..{_fmt(inp.max)}]")
    ranked = policy == "PRIORITY"
    if ranked:
        levels = sorted({rule.priority or 0 for rule in table.rules}, reverse=True)
        output = _el(
            dt, "output", {"id": "output_priority", "name": "priority", "label": "Priority", "typeRef": "number"}
        )
        _el(output, "outputValues", text=",".join(str(p) for p in levels))
    for out in table.outputs:
        _el(
            dt,
            "output",
            {"id": f"output_{name(out.id)}", "name": name(out.id), "label": out.label, "typeRef": "string"},
        )
    for rule in table.rules:
        element = _el(dt, "rule", {"id": f"rule_{name(rule.id)}", "label": rule.id})
        ET.SubElement(element, "description").text = prose.to_plain(kb, rule.rationale)
        for inp in table.inputs:
            _el(
                element,
                "inputEntry",
                {"id": f"rule_{name(rule.id)}_in_{name(inp.id)}"},
                unary_test(inp, rule.when.get(inp.id), kb),
            )
        if ranked:
            _el(element, "outputEntry", {"id": f"rule_{name(rule.id)}_priority"}, str(rule.priority or 0))
        for out in table.outputs:
            value = rule.then.get(out.id, "-")
            text = "null" if value.strip() == "-" else string(prose.to_plain(kb, value))
            _el(element, "outputEntry", {"id": f"rule_{name(rule.id)}_out_{name(out.id)}"}, text)
    return root


def to_dmn(kb: Any, table: DecisionTable) -> str:
    root = definitions(kb, table)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def files(kb: Any) -> dict[str, str]:
    """{`<table id>.dmn`: XML} for every decision table of the review."""
    return {f"{table.id}.dmn": to_dmn(kb, table) for table in kb.items("decision_tables")}
