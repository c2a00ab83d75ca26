"""The plugin in somebody else's MkDocs site: installed from its wheel into a minimal Material project
with its own home page and copyright, pages mounted under a prefix, widgets working in Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_DATA, ROOT, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONFIG = """\
site_name: Another team's handbook
copyright: "© Another team"
theme:
  name: material
  font: false
plugins:
  - search
  - knowledge-base:
      data_dir: kb
      prefix: study
"""


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    work = tmp_path_factory.mktemp("elsewhere")
    wheels, packages = work / "wheels", work / "packages"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True, timeout=300)
    (wheel,) = wheels.glob("kb_site_generator-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(packages), str(wheel)], check=True, timeout=300)
    project = work / "handbook"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Our handbook\n\nOur own home page.\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(MINI_DATA, project / "kb")
    env = dict(os.environ, PYTHONPATH=str(packages), NO_MKDOCS_2_WARNING="1")
    where = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        env=env,
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(packages)), where.stdout  # the installed wheel, not this checkout
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    server, url = serve(project / "site")
    yield project / "site", url
    server.shutdown()


def test_the_site_keeps_its_home_page_and_copyright(elsewhere):
    site, _ = elsewhere
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Our own home page." in home and "© Another team" in home
    page = (site / "study" / "examplumab" / "trials" / "trial-a" / "index.html").read_text(encoding="utf-8")
    assert "© Another team" in page and "Examplumab: a review" in page  # its copyright, then the attribution


def test_a_quiz_and_a_decision_table_work_there(elsewhere, page):
    _, url = elsewhere
    page.goto(url + "study/examplumab/quizzes/basics-quiz/")
    assert "{ #" not in page.locator("article").inner_text()  # vignette headings read as headings
    box = page.locator('[data-question="basics-target"]')
    box.locator('input[value="a"]').check()
    box.get_by_role("button", name="Check").click()
    assert box.locator('[role="status"]').inner_text().startswith("Correct.")
    page.goto(url + "study/examplumab/decisions/fever-by-grade/")
    table = page.locator("[data-decision-table]")
    table.get_by_label("Fever grade").select_option("3")
    assert "Rule 2 applies" in table.locator('[role="status"]').inner_text()
    assert table.locator("tr[data-match]").get_attribute("data-rule") == "severe"
