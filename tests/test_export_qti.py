"""The QTI 2.1 package: every XML file valid against 1EdTech's (IMS) official XSDs, and the package
read back by pyslet, an independent QTI 2.1 implementation, which also runs each item's response
processing to score right and wrong answers and to pick the feedback a learner would see."""

from __future__ import annotations

import functools
import io
import warnings
import zipfile
from pathlib import Path

import pytest
from exports import KBS, by_name, questions

from generator.export import qti
from generator.fidelity import option_order
from generator.quiz import numeric_answer

XSD = Path(__file__).parent / "fixtures" / "xsd" / "qti21"


@pytest.fixture(params=KBS)
def kb(request):
    return by_name(request.param)


@functools.cache
def schemas():
    import xmlschema

    def local(uri: str) -> str:
        """The schemas import each other by their published addresses: read the copies kept here."""
        if uri.startswith("http://"):
            copy = XSD / uri.removeprefix("http://")
            if copy.is_file():
                return copy.resolve().as_uri()
        return uri

    items = xmlschema.XMLSchema(str(XSD / "www.imsglobal.org/xsd/imsqti_v2p1.xsd"), uri_mapper=local)
    manifest = xmlschema.XMLSchema(str(XSD / "cp/imscp_v1p1.xsd"))
    return items, manifest


def xsd_errors(files: dict[str, bytes]) -> list[str]:
    items, manifest = schemas()
    found = []
    for path, content in files.items():
        schema = manifest if path == "imsmanifest.xml" else items
        found += [f"{path}: {e.reason}" for e in schema.iter_errors(content.decode("utf-8"))]
    return found


def test_every_file_is_valid_against_the_official_xsds(kb):
    files = qti.files(kb)
    assert len(files) == 1 + len(questions(kb)) + len(kb.items("quizzes"))
    assert xsd_errors(files) == []


def test_the_xsds_catch_a_mistake():
    files = qti.files(by_name("mini"))
    broken = files["items/basics-target.xml"].replace(b'maxChoices="1"', b'maxChoices="one"')
    assert xsd_errors({"items/basics-target.xml": broken})
    manifest = files["imsmanifest.xml"].replace(b'type="imsqti_item_xmlv2p1"', b"", 1)
    assert xsd_errors({"imsmanifest.xml": manifest})


def read_package(data: bytes, folder: Path) -> dict:
    """What pyslet reads from the package: per item id, its type, correct answer, choices, feedback."""
    import pyslet.imscpv1p2 as imscp
    import pyslet.qtiv2.interactions as interactions
    import pyslet.qtiv2.variables as variables
    import pyslet.qtiv2.xml as qtixml

    zipfile.ZipFile(io.BytesIO(data)).extractall(folder)
    package = imscp.ContentPackage(str(folder))
    found: dict = {"tests": [], "items": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # pyslet's old method names
        for resource in package.manifest.root.Resources.Resource:
            href = str(resource.File[0].href)
            if resource.type == "imsqti_test_xmlv2p1":
                found["tests"].append(href)
                continue
            assert resource.type == "imsqti_item_xmlv2p1"
            doc = qtixml.QTIDocument(baseURI=str(folder / href))
            doc.read()
            item = doc.root
            (declaration,) = item.ResponseDeclaration
            (interaction,) = list(item.ItemBody.find_children_depth_first(interactions.Interaction, False))
            choices = [c.identifier for c in item.ItemBody.find_children_depth_first(interactions.SimpleChoice, False)]
            correct = declaration.get_correct_value().value
            found["items"][item.identifier] = {
                "resource": resource.id,
                "interaction": type(interaction).__name__,
                "cardinality": variables.Cardinality.to_str(declaration.cardinality),
                "base": variables.BaseType.to_str(declaration.baseType),
                "correct": sorted(correct) if isinstance(correct, dict) else correct,
                "choices": choices,
                "feedback": {f.identifier: _text(f) for f in item.QTIModalFeedback},
                "item": item,
            }
    return found


def _text(element) -> str:
    """The text of a pyslet element and its children."""
    parts = []
    for child in element.get_children():
        parts.append(child if isinstance(child, str) else _text(child))
    return "".join(parts)


def run(item, answer) -> tuple[float, set[str]]:
    """pyslet's response processing of `answer` (None: no answer): (SCORE, feedback identifiers shown)."""
    import pyslet.qtiv2.variables as variables

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        state = variables.ItemSessionState(item)
        state.select_clone()
        state.begin_session()
        if answer is not None:
            state["RESPONSE"].set_value(answer)
        state.end_attempt()
        return state["SCORE"].value, set(state["FEEDBACK"].value or {})


def mismatches(kb, found: dict) -> list[str]:
    """How the package pyslet read differs from the knowledge base."""
    problems = []
    expected = questions(kb)
    if sorted(found["items"]) != sorted(qti.ident(q.id) for _, q, _ in expected):
        return ["the item ids differ"]
    if sorted(found["tests"]) != sorted(f"tests/{quiz.id}.xml" for quiz in kb.items("quizzes")):
        problems.append("the tests differ")
    for quiz, q, _stem in expected:
        got = found["items"][qti.ident(q.id)]
        interaction, cardinality, base = qti.KINDS[q.type]
        kind = (interaction[0].upper() + interaction[1:], cardinality, base)
        if (got["interaction"], got["cardinality"], got["base"]) != kind:
            problems.append(f"{q.id}: type {got['interaction']}, {got['cardinality']}, {got['base']}")
            continue
        shown = option_order(q, quiz.order_seed)
        if q.options:
            right = sorted(qti.ident(o.id) for o in q.options if o.correct)
            want = right if q.type == "multiple" else right[0]
            if got["correct"] != want:
                problems.append(f"{q.id}: correct answer {got['correct']}, not {want}")
            if got["choices"] != [qti.ident(o.id) for o in shown]:
                problems.append(f"{q.id}: options in the order {got['choices']}")
        elif q.answer is not None:
            if got["correct"] != numeric_answer(kb, q.answer)[0]:
                problems.append(f"{q.id}: answer {got['correct']}")
        elif got["correct"] != q.accept[0]:
            problems.append(f"{q.id}: answer {got['correct']}")
        if qti.EXPLANATION not in got["feedback"]:
            problems.append(f"{q.id}: no explanation")
        elif q.refs and not all(f"[{n}]" in got["feedback"][qti.EXPLANATION] for n in q.refs):
            problems.append(f"{q.id}: the explanation does not cite {q.refs}")
    return problems


def test_pyslet_reads_back_ids_types_and_correct_answers(kb, tmp_path):
    found = read_package(qti.to_qti_zip(kb), tmp_path)
    assert mismatches(kb, found) == []
    assert len(found["items"]) == len(questions(kb))


def test_a_changed_correct_answer_is_detected(tmp_path):
    kb = by_name("mini")
    data = qti.to_qti_zip(kb)
    archive = zipfile.ZipFile(io.BytesIO(data))
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as out:
        for name in archive.namelist():
            content = archive.read(name)
            if name == "items/basics-target.xml":
                content = content.replace(b"<correctResponse><value>a</value>", b"<correctResponse><value>b</value>")
            out.writestr(name, content)
    assert mismatches(kb, read_package(tampered.getvalue(), tmp_path)) == ["basics-target: correct answer b, not a"]


def test_items_score_and_give_feedback_as_the_site_does(kb, tmp_path):
    """pyslet runs every item: the right answer scores 1, a wrong one 0; the feedback shown is the
    chosen options' and the missed right answers', with the explanation always."""
    items = read_package(qti.to_qti_zip(kb), tmp_path)["items"]
    for _quiz, q, _stem in questions(kb):
        item = items[qti.ident(q.id)]["item"]
        with_feedback = {qti.ident(o.id) for o in q.options if o.feedback}
        if q.options:
            right = [qti.ident(o.id) for o in q.options if o.correct]
            wrong = next(qti.ident(o.id) for o in q.options if not o.correct)
            answer = right if q.type == "multiple" else right[0]
            score, shown = run(item, answer)
            assert score == 1.0 and shown == {qti.EXPLANATION, *right} & ({qti.EXPLANATION} | with_feedback), q.id
            bad = [*right, wrong] if q.type == "multiple" else wrong
            score, shown = run(item, bad)
            assert score == 0.0, q.id
            assert shown == {qti.EXPLANATION, *right, wrong} & ({qti.EXPLANATION} | with_feedback), q.id
        elif q.answer is not None:
            value, _unit, low, high = numeric_answer(kb, q.answer)
            assert run(item, value)[0] == 1.0 and run(item, low)[0] == 1.0 and run(item, high)[0] == 1.0, q.id
            assert run(item, high + max(1.0, abs(high))) == (0.0, {qti.EXPLANATION}), q.id
        else:
            for answer in q.accept:
                assert run(item, " ".join(answer.split()))[0] == 1.0, q.id
            assert run(item, "not an answer")[0] == 0.0, q.id
        assert run(item, None)[0] == 0.0, q.id


def test_short_answers_ignore_case_as_on_the_site():
    # pyslet does not implement mapEntry's caseSensitive, so the attribute itself is checked
    files = qti.files(by_name("mini"))
    assert b'<mapEntry mapKey="FDA" mappedValue="1" caseSensitive="false"' in files["items/basics-short.xml"]
