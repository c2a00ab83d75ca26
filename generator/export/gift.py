"""The question bank in Moodle's GIFT format, one category per module.

Texts are in GIFT's [html] format: prose rendered to HTML (Moodle would show Markdown's `**` as
typed), then GIFT's own special characters escaped. Options come in the order the site shows them.
"""

from __future__ import annotations

import re
from typing import Any

from ..fidelity import option_order
from ..schema import Question, Quiz
from . import prose

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def escape(text: str) -> str:
    """HTML for GIFT: on one line, GIFT's special characters escaped with a backslash."""
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def question_html(kb: Any, q: Question, stem: str | None = None) -> str:
    """The prompt (after the case, for a vignette question), with the unit a numeric answer is in."""
    parts = []
    if stem is not None:
        parts.append(f"<p><strong>Case:</strong> {prose.unwrap(prose.to_html(kb, stem))}</p>")
    parts.append(prose.to_html(kb, q.prompt))
    if q.answer is not None:
        parts.append(f"<p>Answer in {kb.answers[q.id][1]}.</p>")
    return "".join(parts)


def explanation_html(kb: Any, q: Question) -> str:
    """The explanation with the references it rests on."""
    return prose.to_html(kb, q.explanation) + prose.sources_html(kb, q.refs)


def to_gift(kb: Any, quizzes: list[Quiz] | None = None) -> str:
    """Every module of the review (or `quizzes`) as GIFT text."""
    quizzes = kb.items("quizzes") if quizzes is None else quizzes
    out = [f"// {kb.review.title}: question bank exported from the knowledge base", ""]
    for quiz in quizzes:
        out += [f"$CATEGORY: {kb.review.id}/{quiz.id}", ""]
        items = [(None, q) for q in quiz.questions] + [(v, q) for v in quiz.vignettes for q in v.questions]
        for vignette, q in items:
            prompt = question_html(kb, q, vignette.stem if vignette is not None else None)
            out.append(f"::{q.id}::[html]{escape(prompt)} {{")
            shown = option_order(q, quiz.order_seed)
            if q.type == "single":
                for o in shown:
                    fb = f"#{escape(prose.to_html(kb, o.feedback, inline=True))}" if o.feedback else ""
                    out.append(f"\t{'=' if o.correct else '~'}{escape(prose.to_html(kb, o.text, inline=True))}{fb}")
            elif q.type == "multiple":
                right = sum(o.correct for o in q.options)
                wrong = len(q.options) - right
                for o in shown:
                    weight = _weight(100 / right) if o.correct else _weight(-100 / wrong)
                    fb = f"#{escape(prose.to_html(kb, o.feedback, inline=True))}" if o.feedback else ""
                    out.append(f"\t~%{weight}%{escape(prose.to_html(kb, o.text, inline=True))}{fb}")
            elif q.type == "numeric":
                assert q.answer is not None
                value, _unit, low, high = kb.answers[q.id]
                out.append(f"\t#{low:g}..{high:g}" if low != high else f"\t#{value:g}:0")
            else:
                for answer in q.accept:
                    out.append(f"\t={escape(answer)}")
            out += [f"\t####{escape(explanation_html(kb, q))}", "}", ""]
    return "\n".join(out)


def _weight(x: float) -> str:
    return f"{x:.5f}".rstrip("0").rstrip(".")
