"""The Moodle GIFT export, read back by two independent parsers: pygiftparser (Python) and
gift-pegjs (JavaScript, installed by `make tools` into .venv/npm)."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import MINI_DATA, ROOT, edit
from exports import KBS, by_name, load, questions
from pygiftparser import parser as gift_parser

from generator.export import prose
from generator.export.gift import to_gift
from generator.fidelity import option_order
from generator.quiz import numeric_answer

GIFT_PEGJS = ROOT / ".venv" / "npm" / "node_modules" / "gift-pegjs"


@pytest.fixture(params=KBS)
def kb(request):
    return by_name(request.param)


def pegjs(gift: str) -> list[dict]:
    """The GIFT text as gift-pegjs parses it (categories left out)."""
    node = shutil.which("node")
    if node is None or not GIFT_PEGJS.is_dir():
        pytest.fail("gift-pegjs is needed: run `make tools` (it installs it with npm into .venv/npm)")
    script = (
        "const {parse} = require(process.argv[1]);"
        "process.stdout.write(JSON.stringify(parse(require('fs').readFileSync(0, 'utf8'))))"
    )
    result = subprocess.run([node, "-e", script, str(GIFT_PEGJS)], input=gift, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return [q for q in json.loads(result.stdout) if q["type"] != "Category"]


def pegjs_mismatches(kb, parsed: list[dict]) -> list[str]:
    """How gift-pegjs's reading differs from the knowledge base: ids, types, answers, option order."""
    found = []
    expected = questions(kb)
    if [p["title"] for p in parsed] != [q.id for _, q, _ in expected]:
        return ["the question ids differ"]
    kinds = {"single": "MC", "multiple": "MC", "numeric": "Numerical", "short": "Short"}
    for p, (quiz, q, _stem) in zip(parsed, expected, strict=True):
        if p["type"] != kinds[q.type]:
            found.append(f"{q.id}: type {p['type']}")
            continue
        shown = option_order(q, quiz.order_seed)
        if q.type in ("single", "multiple"):
            texts = [c["text"]["text"] for c in p["choices"]]
            if texts != [prose.to_html(kb, o.text, inline=True) for o in shown]:
                found.append(f"{q.id}: options {texts}")
            if q.type == "single":
                right = [c["isCorrect"] for c in p["choices"]]
            else:
                right = [(c["weight"] or 0) > 0 for c in p["choices"]]
            if right != [o.correct for o in shown]:
                found.append(f"{q.id}: right answers {right}")
            feedback = [(c["feedback"] or {}).get("text") for c in p["choices"]]
            if feedback != [prose.to_html(kb, o.feedback, inline=True) if o.feedback else None for o in shown]:
                found.append(f"{q.id}: feedback {feedback}")
        elif q.type == "numeric":
            value, _unit, low, high = numeric_answer(kb, q.answer)
            got = p["choices"]  # one answer: {type: range, number, range} or {type: high-low, ...}
            if got.get("type") == "range":
                ok = (got["number"] - got["range"], got["number"] + got["range"]) == (low, high) == (value, value)
            else:
                ok = (got.get("numberLow"), got.get("numberHigh")) == (low, high)
            if not ok:
                found.append(f"{q.id}: numeric answer {got}")
        elif sorted(c["text"]["text"] for c in p["choices"]) != sorted(q.accept):
            found.append(f"{q.id}: accepted {p['choices']}")
        if "**" in p["stem"]["text"] or "**" in p["globalFeedback"]["text"]:
            found.append(f"{q.id}: Markdown left in the HTML")
    return found


def test_gift_reads_back_through_gift_pegjs(kb):
    parsed = pegjs(to_gift(kb))
    assert pegjs_mismatches(kb, parsed) == []
    assert len(parsed) == len(questions(kb))
    assert all(p["stem"]["format"] == "html" for p in parsed)


def test_gift_pegjs_would_notice_a_wrong_answer():
    kb = by_name("mini")
    gift = to_gift(kb)
    flipped = gift.replace("\t=Antigen X", "\t~Antigen X", 1).replace("\t~Antigen Y", "\t=Antigen Y", 1)
    assert flipped != gift
    assert any("right answers" in m for m in pegjs_mismatches(kb, pegjs(flipped)))


def test_gift_reads_back_through_pygiftparser(kb):
    parsed = gift_parser.parseFile(io.StringIO(to_gift(kb)))
    expected = questions(kb)
    assert [p.title for p in parsed] == [q.id for _, q, _ in expected]
    kinds = {
        "single": "SelectSet",
        "multiple": "MultipleChoicesSet",
        "numeric": "NumericAnswerSet",
        "short": "ShortSet",
    }
    for p, (quiz, q, _stem) in zip(parsed, expected, strict=True):
        assert type(p.answers).__name__ == kinds[q.type], q.id
        shown = option_order(q, quiz.order_seed)
        if q.type == "single":
            assert [a.fraction for a in p.answers.answers] == [100 if o.correct else 0 for o in shown], q.id
        elif q.type == "multiple":
            assert [a.fraction > 0 for a in p.answers.answers] == [o.correct for o in shown], q.id
        elif q.type == "short":
            assert [a.answer for a in p.answers.answers] == q.accept, q.id


def test_prose_becomes_html_with_figures_as_the_site_prints_them(data):
    edit(
        data,
        "examplumab/quizzes.yaml",
        "prompt: Which antigen does examplumab bind?",
        "prompt: 'Which **epsilon** antigen does [[examplumab]] bind at "
        "[[examplumab-pharmacology/c1-start]]? <i>x</i>'",
    )
    kb = load(data)
    gift = to_gift(kb)
    (p,) = [q for q in pegjs(gift) if q["title"] == "basics-target"]
    assert p["stem"]["text"] == (
        "<p>Which <strong>epsilon</strong> antigen does Examplumab bind at 5 µg/day? &lt;i&gt;x&lt;/i&gt;</p>"
    )
    # the explanation carries its sources, DOIs linked
    assert '<a href="https://doi.org/10.1234/a.1">doi:10.1234/a.1</a>' in p["globalFeedback"]["text"]


def test_make_export_writes_every_file(tmp_path):
    out = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--data", str(MINI_DATA), "--docs", str(tmp_path), "export", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [
        ".kb-site-output",
        "examplumab-dmn/fever-by-grade.dmn",
        "examplumab-qti21.zip",
        "examplumab-references.bib",
        "examplumab-references.json",
        "examplumab-references.ris",
        "examplumab.apkg",
        "examplumab.gift",
    ]
    assert (out / "examplumab.apkg").read_bytes()[:2] == b"PK"


def test_the_sources_of_an_explanation_read_as_the_references_page_prints_them():
    """Authors, title and journal separated by full stops, in the exports as on the site."""
    from generator.build import load_build

    page = load_build(ROOT / "data", ROOT).pages["blinatumomab/references.md"]
    kb = by_name("real")
    for n, ref in kb.references.items():
        line = re.search(rf'^{n}\. <span id="ref-{n}"></span>(.*)$', page, re.M).group(1)
        shown = re.sub(r"\[(doi:[^\]]+)\]\(https://doi\.org/.*\)$", r"\1", line).replace("*", "")
        shown = html.unescape(re.sub(r"\\(.)", r"\1", shown))  # Markdown and HTML escapes
        assert prose.reference_text(ref) == shown, n
