"""An Anki deck (.apkg) for spaced repetition: one note per question, in a subdeck per module, and
a glossary deck with one note per abbreviation.

Anki recognises a note by its guid, so every id here comes from the data: a note's guid from the
review and question id (or glossary term), a deck's id from the review and module, a note type's
id from its name. Importing a newer export therefore updates the cards a trainee already has, and
keeps their review history, instead of adding copies.
"""

from __future__ import annotations

import hashlib
import html
import os
import tempfile
from pathlib import Path
from typing import Any

import genanki

from ..fidelity import option_order
from ..schema import Question, Quiz, Value
from ..values import format_value
from . import prose
from .gift import question_html

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.45; text-align: left;
  max-width: 40em; margin: 0 auto; color: black; background: white; }
.nightMode .card, .night_mode .card { color: #eee; background: #222; }
ol.options { list-style-type: lower-alpha; }
.answer { font-weight: bold; }
.sources { font-size: 80%; }
"""


def stable_id(*parts: str) -> int:
    """An id Anki accepts (a positive 63-bit integer) that depends only on `parts`."""
    return int(hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:15], 16)


QUESTION_MODEL = genanki.Model(
    stable_id("kb-site", "note type", "question"),
    "Knowledge base question",
    fields=[{"name": name} for name in ("Question", "Options", "Answer", "Explanation", "Sources", "Id")],
    templates=[
        {
            "name": "Question",
            "qfmt": '{{Question}}{{#Options}}<ol class="options">{{Options}}</ol>{{/Options}}',
            "afmt": '{{FrontSide}}<hr id="answer"><p class="answer">{{Answer}}</p>{{Explanation}}'
            '<div class="sources">{{Sources}}</div>',
        }
    ],
    css=_CSS,
)
GLOSSARY_MODEL = genanki.Model(
    stable_id("kb-site", "note type", "glossary"),
    "Knowledge base abbreviation",
    fields=[{"name": "Term"}, {"name": "Expansion"}],
    templates=[
        {"name": "Expand", "qfmt": "<p>{{Term}}</p>", "afmt": '{{FrontSide}}<hr id="answer"><p>{{Expansion}}</p>'}
    ],
    css=_CSS,
)


def question_guid(review: str, question: str) -> str:
    return genanki.guid_for("kb-site", review, "question", question)


def term_guid(review: str, term: str) -> str:
    return genanki.guid_for("kb-site", review, "glossary", term)


def answer_letters(quiz: Quiz, q: Question) -> list[str]:
    """The letters of the right options, as the site shows the options: ['b'] or ['a', 'c']."""
    return [_LETTERS[i] for i, o in enumerate(option_order(q, quiz.order_seed)) if o.correct]


def answer_html(kb: Any, quiz: Quiz, q: Question) -> str:
    """The right answer as the site states it: '(b) Interrupt', '5 µg/day', 'FDA or ...'."""
    if q.options:
        shown = option_order(q, quiz.order_seed)
        return "; ".join(
            f"({_LETTERS[i]}) {prose.to_html(kb, o.text, inline=True)}" for i, o in enumerate(shown) if o.correct
        )
    if q.answer is not None:
        value, unit, low, high = kb.answers[q.id]
        text = format_value(Value(value=value, unit=unit))
        return html.escape(text + (f" (accepted {low:g} to {high:g})" if low != high else ""))
    return html.escape(" or ".join(q.accept))


def question_note(kb: Any, quiz: Quiz, q: Question, stem: str | None = None) -> genanki.Note:
    options = "".join(f"<li>{prose.to_html(kb, o.text, inline=True)}</li>" for o in option_order(q, quiz.order_seed))
    return genanki.Note(
        model=QUESTION_MODEL,
        fields=[
            question_html(kb, q, stem),
            options,
            answer_html(kb, quiz, q),
            prose.to_html(kb, q.explanation),
            prose.sources_html(kb, q.refs),
            q.id,
        ],
        guid=question_guid(kb.review.id, q.id),
        tags=[kb.review.id, quiz.id, f"type::{q.type}"],
    )


def decks(kb: Any) -> list[genanki.Deck]:
    """A deck per module, under one named after the review, and the glossary deck."""
    found = []
    title = " ".join(kb.review.title.replace("::", ":").split())
    for quiz in kb.items("quizzes"):
        deck = genanki.Deck(stable_id("kb-site", "deck", kb.review.id, quiz.id), f"{title}::{quiz.title}")
        for q in quiz.questions:
            deck.add_note(question_note(kb, quiz, q))
        for vignette in quiz.vignettes:
            for q in vignette.questions:
                deck.add_note(question_note(kb, quiz, q, vignette.stem))
        found.append(deck)
    if kb.glossary:
        deck = genanki.Deck(stable_id("kb-site", "deck", kb.review.id, "glossary"), f"{title}::Glossary")
        for term in sorted(kb.glossary, key=lambda t: t.term.lower()):
            fields = [html.escape(term.term), html.escape(" ".join(term.expansion.split()))]
            deck.add_note(
                genanki.Note(
                    model=GLOSSARY_MODEL,
                    fields=fields,
                    guid=term_guid(kb.review.id, term.term),
                    tags=[kb.review.id, "glossary"],
                )
            )
        found.append(deck)
    return found


def to_apkg(kb: Any, timestamp: float | None = None) -> bytes:
    """The .apkg as bytes. `timestamp` (default: now) is every note's modification time: Anki updates
    a note on import only when the file's is newer than the one it has."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kb.review.id}.apkg"
        genanki.Package(decks(kb)).write_to_file(os.fspath(path), timestamp=timestamp)
        return path.read_bytes()
