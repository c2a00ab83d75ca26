"""The published JSON Schema (for editors) is current and agrees with the validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from generator.sections import data_file_schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "data" / "knowledge-base.schema.json"


def test_published_schema_is_up_to_date():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == data_file_schema(), (
        "run `make schema` to refresh data/knowledge-base.schema.json"
    )


def test_every_data_file_validates_against_it_and_points_editors_at_it():
    validator = jsonschema.Draft202012Validator(data_file_schema())
    files = sorted((ROOT / "data").rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../knowledge-base.schema.json"), path
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
        assert errors == [], (path, errors[:3])


def test_schema_catches_what_an_editor_should_flag():
    validator = jsonschema.Draft202012Validator(data_file_schema())
    bad = {"trials": [{"id": "x", "title": "X", "summary": "s", "phase": "4", "colour": "blue"}]}

    def messages_of(errors) -> list[str]:
        return [m for e in errors for m in [e.message, *messages_of(e.context)]]

    messages = " ".join(messages_of(validator.iter_errors(bad)))
    assert "'colour' was unexpected" in messages and "'4' is not one of" in messages
    assert (
        list(
            validator.iter_errors(
                {
                    "references": [
                        {
                            "number": 1,
                            "authors": [{"family": "Doe", "given": "J"}],
                            "et_al": True,
                            "title": "T",
                            "journal": "J",
                            "year": 2020,
                        }
                    ]
                }
            )
        )
        == []
    )


def test_every_field_an_educator_can_write_is_described():
    """The published schema is what editors show while typing: no property without a description."""
    schema = data_file_schema()
    models = {"DataFile": schema, **schema["$defs"]}
    missing = [
        f"{model}.{name}"
        for model, spec in models.items()
        for name, prop in spec.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert missing == []
