"""The exercise pages: both languages, solutions from the package, hints folded, notebooks executed.

The pages name the mistakes the checker recognises and quote a report: both are checked against
the checker itself, so that a page cannot drift from the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dlpapers import exercises

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGUAGES = ("ko", "en")
PAPERS = ("vit", "aae", "mdn")


def built(site: Path, language: str, *parts: str) -> BeautifulSoup:
    prefix = () if language == "ko" else ("en",)
    return BeautifulSoup(site.joinpath(*prefix, *parts, "index.html").read_text(), "html.parser")


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_paper_has_an_exercise_page_and_notebook_in_both_languages(paper, language):
    assert (DOCS / "assignments" / paper / f"exercises.{language}.md").exists()
    assert (DOCS / "assignments" / paper / f"exercises-notebook.{language}.ipynb").exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_lists_every_exercise_and_each_page_names_its_mistakes(language):
    index = (DOCS / "assignments" / f"exercises.{language}.md").read_text()
    for exercise in exercises.registry().values():
        assert f"`{exercise.id}`" in index
        page = (DOCS / "assignments" / exercise.paper / f"exercises.{language}.md").read_text()
        assert f"`{exercise.id}`" in page
        assert f'--8<-- "code/dlpapers/{exercise.paper}/exercises.py:' in page
        for mistake in exercise.mistakes:
            assert mistake.name in page, f"{exercise.id}: {mistake.name!r} not on the page"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_quoted_on_the_index_is_the_checker_s_real_output(language):
    index = (DOCS / "assignments" / f"exercises.{language}.md").read_text()
    code = re.search(r"```python\n(def patchify.*?)```", index, flags=re.DOTALL).group(1)
    quoted = re.search(r"```text\n(.*?)```", index, flags=re.DOTALL).group(1).splitlines()
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the page's own example
    real = str(exercises.run("vit-patchify", namespace["patchify"])).splitlines()
    for line, actual in zip(quoted, real, strict=False):
        assert actual.startswith(line.removesuffix("...")), (line, actual)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_built_exercise_pages_fold_hints_and_show_the_package_s_solution(built_site, paper,
                                                                       language):
    soup = built(built_site.path, language, "assignments", paper, "exercises")
    ours = [e for e in exercises.registry().values() if e.paper == paper]
    folded = soup.select("article details")
    assert len(folded) == 3 * len(ours), "two hints and a solution per exercise"
    assert not [d for d in folded if d.has_attr("open")], "hints and solutions start folded"
    solutions = [d for d in folded if "success" in d.get("class", [])]
    for exercise, solution in zip(ours, solutions, strict=True):
        assert f"def {exercise.function}(" in solution.get_text(), exercise.id
        assert "--8<--" not in solution.get_text()
    assert soup.select("article .arithmatex, article mjx-container, article svg"), "no math"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_built_exercise_notebooks_show_the_checker_s_reports(built_site, paper, language):
    soup = built(built_site.path, language, "assignments", paper, "exercises-notebook")
    outputs = "\n".join(o.get_text() for o in soup.select(".jp-OutputArea-output"))
    assert exercises.NOT_IMPLEMENTED in outputs, "the starters report, without raising"
    assert "→ known mistake:" in outputs, "the first try is named"
    assert "all passed." in outputs and "Traceback" not in outputs
