"""The navigation of a review: trials grouped by setting, the educators' pages outside the learning path."""

from __future__ import annotations

import re

import pytest
from conftest import MINI_DATA, edit, make_project, mkdocs_build

from generator import sections
from generator.build import load_build


def review_nav(build) -> list:
    (review,) = [entry for entry in build.nav if "Examplumab" in str(entry)]
    return next(iter(review.values()))


def section_of(entries: list, heading: str) -> list:
    return next(e[heading] for e in entries if isinstance(e, dict) and heading in e)


def test_trials_are_listed_under_their_setting(data):
    text = (data / "examplumab" / "entities.yaml").read_text(encoding="utf-8")
    trial = text[text.index("  - id: trial-a") : text.index("indications:")]
    second = trial.replace("id: trial-a", "id: trial-b").replace("TRIAL-A", "TRIAL-B")
    second = second.replace("relapsed-refractory", "mrd-positive").replace("        headline: true\n", "")
    edit(data, "examplumab/entities.yaml", "indications:", second + "indications:")
    trials = section_of(review_nav(load_build(data, data.parent, workers=1)), "Trials")
    assert trials == [
        {"Trials": "examplumab/trials/index.md"},
        {"Relapsed/refractory": [{"TRIAL-A (examplumab versus chemotherapy)": "examplumab/trials/trial-a.md"}]},
        {"MRD-positive": [{"TRIAL-B (examplumab versus chemotherapy)": "examplumab/trials/trial-b.md"}]},
    ]


def test_the_answer_key_is_for_educators_outside_the_learning_path(data):
    build = load_build(data, data.parent, workers=1)
    entries = review_nav(build)
    quizzes = section_of(entries, "Test yourself")
    assert "answer-key" not in str(quizzes)
    assert quizzes[-1] == {"My progress": "examplumab/quizzes/progress.md"}
    # the educators' section comes last, after the references and glossary that close the learning path
    assert entries[-1] == {sections.EDUCATORS: [{"Answer key for educators": "examplumab/educators/answer-key.md"}]}
    assert "search:\n  exclude: true" in build.pages["examplumab/educators/answer-key.md"].split("---")[1]
    assert "answer-key" not in build.pages["examplumab/quizzes/index.md"]


def test_another_page_for_educators_is_one_row_of_the_registry(data, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "teaching-notes.md.j2").write_text("# {{ title }}\n\nHow to teach it.\n", encoding="utf-8")
    notes = sections.Page("teaching-notes", "educators/teaching-notes.md", "Teaching notes", "teaching-notes.md.j2",
                          nav=sections.EDUCATORS, search=False)  # fmt: skip
    monkeypatch.setattr(sections, "PAGES", [*sections.PAGES, notes])
    with sections.extended(templates=templates):
        build = load_build(data, data.parent, workers=1)
    assert review_nav(build)[-1][sections.EDUCATORS] == [
        {"Answer key for educators": "examplumab/educators/answer-key.md"},
        {"Teaching notes": "examplumab/educators/teaching-notes.md"},
    ]
    assert "How to teach it." in build.pages["examplumab/educators/teaching-notes.md"]


def test_quiz_pages_rank_below_the_pages_they_test_in_search(data):
    pages = load_build(data, data.parent, workers=1).pages
    boost = {path: page.split("---")[1] for path, page in pages.items()}
    assert "search:\n  boost: 0.1" in boost["examplumab/quizzes/basics-quiz.md"]
    assert "search:\n  boost: 0.1" in boost["examplumab/quizzes/index.md"]
    assert "boost" not in boost["examplumab/therapies/examplumab.md"]


@pytest.mark.slow
def test_previous_and_next_step_over_the_pages_for_educators(tmp_path):
    project = make_project(tmp_path / "p", MINI_DATA)
    result = mkdocs_build(project, linkcheck=False)
    assert result.returncode == 0, result.stderr

    def footer(path: str) -> list[str]:
        text = (project / "site" / "examplumab" / path / "index.html").read_text(encoding="utf-8")
        return re.findall(r'class="md-footer__link md-footer__link--\w+" aria-label="([^"]*)"', text)

    assert footer("glossary") == ["Previous: References", "Next: About this site"]
    assert footer("educators/answer-key") == []
    guide = (project / "site" / "authoring-guide" / "index.html").read_text(encoding="utf-8")
    assert "md-footer__link--" not in guide  # the site's guide for educators is aside too


def test_what_is_here_lists_the_decision_tables_the_comparison_and_the_quizzes(data):
    home = load_build(data, data.parent, workers=1).pages["examplumab/index.md"]
    here = home.split("## What is here", 1)[1].split("##", 1)[0]
    for row in (
        "| [Decision tables](decisions/index.md) | 1 table |",
        "| [Comparison](comparison.md) | 2 therapies side by side |",
        "| [Test yourself](quizzes/index.md) | 2 modules |",
    ):
        assert row in here, row
