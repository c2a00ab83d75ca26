"""The question bank as an IMS QTI 2.1 content package (a .zip), for Canvas, Blackboard Learn, D2L
Brightspace, Sakai/Samigo, OpenOLAT, TAO and other systems that import QTI 2.1.

One assessmentItem per question, one assessmentTest per module and an imsmanifest.xml. Each item
scores itself (inline response processing, no template to fetch) all or nothing as the site marks
it; the feedback of each option shows when it is chosen, or when it is a right answer that was
missed, as on the site; the explanation with its sources shows after any answer. Options are in
the order the site shows them, and not shuffled.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

from ..fidelity import option_order
from ..schema import Question, Quiz
from . import prose
from .gift import explanation_html, question_html

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: Identifiers of outcomes and of the feedback that is not an option's.
EXPLANATION = "EXPLANATION"
#: What each question type becomes: (interaction, cardinality, base type).
KINDS = {
    "single": ("choiceInteraction", "single", "identifier"),
    "multiple": ("choiceInteraction", "multiple", "identifier"),
    "numeric": ("textEntryInteraction", "single", "float"),
    "short": ("textEntryInteraction", "single", "string"),
}
#: Zip entries carry this date, so two exports of the same data are the same bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

ET.register_namespace("xsi", XSI)


def ident(value: str) -> str:
    """A QTI identifier (an XML NCName) for an id of the data, which may start with a digit."""
    return value if re.match(r"[A-Za-z_]", value) else f"_{value}"


def _el(tag: str, attrs: dict[str, str] | None = None, *children: ET.Element, text: str | None = None) -> ET.Element:
    element = ET.Element(tag, attrs or {})  # unqualified: the root declares QTI as the default namespace
    element.extend(children)
    if text is not None:
        element.text = text
    return element


def _html(fragment: str, tag: str = "div", attrs: dict[str, str] | None = None) -> ET.Element:
    """An XHTML fragment (from prose.to_html) as QTI content inside `tag`."""
    wrapper = ET.fromstring(f"<{tag}>{fragment}</{tag}>")
    wrapper.attrib.update(attrs or {})
    return wrapper


def _base(base_type: str, value: str) -> ET.Element:
    return _el("baseValue", {"baseType": base_type}, text=value)


def _var(name: str) -> ET.Element:
    return _el("variable", {"identifier": name})


def _set(name: str, expression: ET.Element) -> ET.Element:
    return _el("setOutcomeValue", {"identifier": name}, expression)


def _if_else(condition: ET.Element, then: ET.Element, otherwise: ET.Element | None = None) -> ET.Element:
    branches = [_el("responseIf", None, condition, then)]
    if otherwise is not None:
        branches.append(_el("responseElse", None, otherwise))
    return _el("responseCondition", None, *branches)


def _scoring(kb: Any, q: Question) -> ET.Element:
    """SCORE 1 for a right answer and 0 otherwise; FEEDBACK names the feedback to show."""
    if q.type in ("single", "multiple"):
        right: ET.Element = _el("match", None, _var("RESPONSE"), _el("correct", {"identifier": "RESPONSE"}))
    elif q.type == "numeric":
        assert q.answer is not None
        _value, _unit, low, high = kb.answers[q.id]
        right = _el(
            "and",
            None,
            _el("gte", None, _var("RESPONSE"), _base("float", f"{low:g}")),
            _el("lte", None, _var("RESPONSE"), _base("float", f"{high:g}")),
        )
    else:
        right = _el("gte", None, _el("mapResponse", {"identifier": "RESPONSE"}), _base("float", "1"))
    rules = [
        _if_else(right, _set("SCORE", _base("float", "1")), _set("SCORE", _base("float", "0"))),
        _set("FEEDBACK", _el("multiple", None, _base("identifier", EXPLANATION))),
    ]
    if q.options:
        answered = _el("not", None, _el("isNull", None, _var("RESPONSE")))
        rules.append(_if_else(answered, _set("FEEDBACK", _el("multiple", None, _var("FEEDBACK"), _var("RESPONSE")))))
        for o in q.options:
            if not o.correct or not o.feedback:
                continue
            chosen = _base("identifier", ident(o.id))
            picked = (
                _el("match", None, _var("RESPONSE"), chosen)
                if q.type == "single"
                else _el("member", None, chosen, _var("RESPONSE"))
            )
            missed = _el("or", None, _el("isNull", None, _var("RESPONSE")), _el("not", None, picked))
            add = _el("multiple", None, _var("FEEDBACK"), _base("identifier", ident(o.id)))
            rules.append(_if_else(missed, _set("FEEDBACK", add)))
    return _el("responseProcessing", None, *rules)


def item(kb: Any, quiz: Quiz, q: Question, stem: str | None = None) -> ET.Element:
    """One question as a QTI 2.1 assessmentItem."""
    interaction, cardinality, base_type = KINDS[q.type]
    root = _el(
        "assessmentItem",
        {
            "xmlns": QTI,
            "identifier": ident(q.id),
            "title": q.id,
            "adaptive": "false",
            "timeDependent": "false",
            f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
        },
    )
    response = _el("responseDeclaration", {"identifier": "RESPONSE", "cardinality": cardinality, "baseType": base_type})
    shown = option_order(q, quiz.order_seed)
    if q.options:
        response.append(_el("correctResponse", None, *(_el("value", text=ident(o.id)) for o in shown if o.correct)))
    elif q.answer is not None:
        value = kb.answers[q.id][0]
        response.append(_el("correctResponse", None, _el("value", text=f"{value:g}")))
    else:
        response.append(_el("correctResponse", None, _el("value", text=q.accept[0])))
        entries = [
            _el("mapEntry", {"mapKey": answer, "mappedValue": "1", "caseSensitive": "false"})
            for answer in dict.fromkeys(" ".join(a.split()) for a in q.accept)
        ]
        response.append(_el("mapping", {"defaultValue": "0", "lowerBound": "0", "upperBound": "1"}, *entries))
    root.append(response)
    for name, card, base in (("SCORE", "single", "float"), ("MAXSCORE", "single", "float")):
        default = "1" if name == "MAXSCORE" else "0"
        outcome = _el("outcomeDeclaration", {"identifier": name, "cardinality": card, "baseType": base})
        outcome.append(_el("defaultValue", None, _el("value", text=default)))
        root.append(outcome)
    root.append(
        _el("outcomeDeclaration", {"identifier": "FEEDBACK", "cardinality": "multiple", "baseType": "identifier"})
    )
    body = _html(question_html(kb, q, stem), "itemBody")
    if q.options:
        choices = _el(
            interaction,
            {"responseIdentifier": "RESPONSE", "shuffle": "false", "maxChoices": "1" if q.type == "single" else "0"},
        )
        for o in shown:
            choices.append(_html(prose.to_html(kb, o.text, inline=True), "simpleChoice", {"identifier": ident(o.id)}))
        body.append(choices)
    else:
        line = _el("p", None, _el(interaction, {"responseIdentifier": "RESPONSE", "expectedLength": "20"}))
        if q.answer is not None:
            line[0].tail = f" {kb.answers[q.id][1]}"
        body.append(line)
    root.append(body)
    root.append(_scoring(kb, q))
    for o in shown:
        if o.feedback:
            attrs = {"outcomeIdentifier": "FEEDBACK", "identifier": ident(o.id), "showHide": "show"}
            root.append(_html(prose.to_html(kb, o.feedback), "modalFeedback", attrs))
    attrs = {"outcomeIdentifier": "FEEDBACK", "identifier": EXPLANATION, "showHide": "show", "title": "Explanation"}
    root.append(_html(explanation_html(kb, q), "modalFeedback", attrs))
    return root


def test(quiz: Quiz, hrefs: list[tuple[str, str]]) -> ET.Element:
    """A module as an assessmentTest of its items, in the module's order; SCORE is the number right."""
    section = _el("assessmentSection", {"identifier": "questions", "title": quiz.title, "visible": "true"})
    for identifier, href in hrefs:
        section.append(_el("assessmentItemRef", {"identifier": identifier, "href": href}))
    part = _el("testPart", {"identifier": "part", "navigationMode": "nonlinear", "submissionMode": "simultaneous"})
    part.append(section)
    root = _el(
        "assessmentTest",
        {
            "xmlns": QTI,
            "identifier": ident(quiz.id),
            "title": quiz.title,
            f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
        },
    )
    root.append(_el("outcomeDeclaration", {"identifier": "SCORE", "cardinality": "single", "baseType": "float"}))
    root.append(part)
    total = _el("sum", None, _el("testVariables", {"variableIdentifier": "SCORE"}))
    root.append(_el("outcomeProcessing", None, _set("SCORE", total)))
    return root


def _xml(root: ET.Element) -> bytes:
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")


def _manifest(kb: Any, resources: list[tuple[str, str, str, list[str]]]) -> ET.Element:
    """imsmanifest.xml: (identifier, type, href, dependencies) per resource."""

    def cp(tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
        element = ET.Element(tag, attrs or {})
        element.text = text
        return element

    attrs = {"xmlns": CP, "identifier": ident(f"manifest-{kb.review.id}"), f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD}"}
    root = cp("manifest", attrs)
    metadata = cp("metadata")
    metadata.extend([cp("schema", text="QTIv2.1 Package"), cp("schemaversion", text="1.0.0")])
    root.extend([metadata, cp("organizations")])
    listing = cp("resources")
    for identifier, kind, href, dependencies in resources:
        resource = cp("resource", {"identifier": identifier, "type": kind, "href": href})
        resource.append(cp("file", {"href": href}))
        resource.extend(cp("dependency", {"identifierref": d}) for d in dependencies)
        listing.append(resource)
    root.append(listing)
    return root


def files(kb: Any, quizzes: list[Quiz] | None = None) -> dict[str, bytes]:
    """Every file of the package: {path inside the zip: bytes}."""
    quizzes = kb.items("quizzes") if quizzes is None else quizzes
    out: dict[str, bytes] = {}
    resources: list[tuple[str, str, str, list[str]]] = []
    for quiz in quizzes:
        refs = []
        pairs = [(None, q) for q in quiz.questions] + [(v.stem, q) for v in quiz.vignettes for q in v.questions]
        for stem, q in pairs:
            path = f"items/{q.id}.xml"
            out[path] = _xml(item(kb, quiz, q, stem))
            resources.append((f"item-{q.id}", "imsqti_item_xmlv2p1", path, []))
            refs.append((ident(q.id), f"../{path}"))
        path = f"tests/{quiz.id}.xml"
        out[path] = _xml(test(quiz, refs))
        resources.append((f"test-{quiz.id}", "imsqti_test_xmlv2p1", path, [f"item-{q.id}" for _, q in pairs]))
    out = {"imsmanifest.xml": _xml(_manifest(kb, resources)), **out}
    return out


def to_qti_zip(kb: Any, quizzes: list[Quiz] | None = None) -> bytes:
    """The content package as the bytes of a .zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files(kb, quizzes).items():
            archive.writestr(zipfile.ZipInfo(path, _ZIP_DATE), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
