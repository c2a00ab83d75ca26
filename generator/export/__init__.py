"""Exports of a review for other tools, each in its own module:

| file | module | read by |
|---|---|---|
| `<review>.gift` | gift.py | Moodle (question bank import, GIFT format) |
| `<review>-qti21.zip` | qti.py | Canvas, Blackboard Learn, D2L Brightspace and other QTI 2.1 importers |
| `<review>.apkg` | anki.py | Anki, AnkiDroid, AnkiMobile (spaced repetition) |
| `<review>-dmn/<table>.dmn` | dmn.py | DMN 1.3 tools: Camunda, Kogito/KIE, Trisotech, pyDMNrules |
| `<review>-references.{json,bib,ris}` | references.py | Zotero, Mendeley, EndNote, JabRef, citeproc |

prose.py turns the data's Markdown prose into HTML or plain text for all of them.
"""

from __future__ import annotations

from typing import Any


def review_files(kb: Any) -> dict[str, str | bytes]:
    """Every export of one review: {file name: text or bytes}. The formats are imported here, not
    with the package: a site build needs only references.py (its downloads)."""
    from . import anki, dmn, gift, qti, references

    name = kb.review.id
    out: dict[str, str | bytes] = {}
    if kb.items("quizzes"):
        out[f"{name}.gift"] = gift.to_gift(kb)
        out[f"{name}-qti21.zip"] = qti.to_qti_zip(kb)
    if kb.items("quizzes") or kb.glossary:
        out[f"{name}.apkg"] = anki.to_apkg(kb)
    for table, text in dmn.files(kb).items():
        out[f"{name}-dmn/{table}"] = text
    out.update(references.files(kb))
    return out
