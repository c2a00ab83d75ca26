"""The Anki deck, opened with the importer of the `anki` package itself (Anki's own Rust backend):
counts and answers, and a second import after an edit that updates notes instead of adding copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit
from exports import KBS, by_name, load, questions

from generator.export import anki
from generator.export.prose import to_html


@pytest.fixture(params=KBS)
def kb(request):
    return by_name(request.param)


def import_into(collection: Path, package: bytes, folder: Path, name: str = "deck.apkg") -> object:
    """Import the .apkg into the collection at `collection` (created if new); returns the import log."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    path = folder / name
    path.write_bytes(package)
    col = Collection(str(collection))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
        )
        return col.import_anki_package(request).log
    finally:
        col.close()


def notes(collection: Path) -> dict[str, dict]:
    """guid -> {type, fields, deck} of every note in the collection."""
    from anki.collection import Collection

    col = Collection(str(collection))
    try:
        found = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            decks = {col.decks.name(card.did) for card in note.cards()}
            found[note.guid] = {"type": note.note_type()["name"], "fields": dict(note.items()), "decks": decks}
        return found
    finally:
        col.close()


def test_anki_imports_one_note_per_question_and_term_with_the_answers(kb, tmp_path):
    collection = tmp_path / "collection.anki2"
    log = import_into(collection, anki.to_apkg(kb), tmp_path)
    expected = questions(kb)
    assert len(log.new) == len(expected) + len(kb.glossary) and not log.duplicate
    found = notes(collection)
    assert len(found) == len(expected) + len(kb.glossary)
    title = " ".join(kb.review.title.split())
    for quiz, q, _stem in expected:
        note = found[anki.question_guid(kb.review.id, q.id)]
        assert note["fields"]["Id"] == q.id
        assert note["fields"]["Answer"] == anki.answer_html(kb, quiz, q)
        assert note["fields"]["Explanation"] == to_html(kb, q.explanation)
        assert note["decks"] == {f"{title}::{quiz.title}"}
        if q.options:  # the options in the order the site shows them, the right ones named in the answer
            assert note["fields"]["Options"].count("<li>") == len(q.options)
            assert all(f"({letter})" in note["fields"]["Answer"] for letter in anki.answer_letters(quiz, q))
    for term in kb.glossary:
        note = found[anki.term_guid(kb.review.id, term.term)]
        assert note["type"] == "Knowledge base abbreviation" and note["decks"] == {f"{title}::Glossary"}


def test_importing_again_after_an_edit_updates_notes_without_copies(data, tmp_path):
    collection = tmp_path / "collection.anki2"
    first = anki.to_apkg(load(data), timestamp=1_700_000_000)
    import_into(collection, first, tmp_path, "first.apkg")
    before = notes(collection)
    edit(data, "examplumab/quizzes.yaml", "explanation: Binding, then", "explanation: Binding, **then**")
    edit(data, "examplumab/entities.yaml", "expansion: complete remission}", "expansion: complete response}")
    log = import_into(collection, anki.to_apkg(load(data), timestamp=1_700_000_100), tmp_path, "second.apkg")
    after = notes(collection)
    assert sorted(after) == sorted(before)  # the same notes: nothing added, nothing duplicated
    # Anki rewrites every note the newer file holds (both edits among them) and adds none
    assert len(log.updated) == len(before) and not log.new and not log.duplicate
    steps = after[anki.question_guid("examplumab", "basics-steps")]["fields"]["Explanation"]
    assert steps == "<p>Binding, <strong>then</strong> killing.</p>"
    assert after[anki.term_guid("examplumab", "CR")]["fields"]["Expansion"] == "complete response"
    # and the same file once more changes nothing
    log = import_into(collection, anki.to_apkg(load(data), timestamp=1_700_000_100), tmp_path, "third.apkg")
    assert not log.new and not log.updated and notes(collection) == after


def test_a_new_guid_would_be_a_duplicate(tmp_path, monkeypatch):
    """The check above can fail: with ids that change between exports, Anki adds every note again."""
    kb = by_name("mini")
    collection = tmp_path / "collection.anki2"
    import_into(collection, anki.to_apkg(kb), tmp_path, "first.apkg")
    monkeypatch.setattr(anki, "question_guid", lambda review, question: f"{review}-{question}-changed")
    import_into(collection, anki.to_apkg(kb), tmp_path, "second.apkg")
    assert len(notes(collection)) == 2 * len(questions(kb)) + len(kb.glossary)
