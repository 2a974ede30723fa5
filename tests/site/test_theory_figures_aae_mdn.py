"""The AAE and MDN theory pages show the figures the package draws at build time, in both
languages and both themes, each with alt text in the page's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

FIGURES = {
    "aae": ("diagram", "codes"),
    "mdn": ("regression", "gmm", "slices"),
}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.mark.parametrize("paper", sorted(FIGURES))
@pytest.mark.parametrize("language", ["ko", "en"])
def test_theory_page_shows_each_figure_in_both_themes_with_alt_text_in_its_language(
    built_site, paper, language
) -> None:
    root = built_site.path / ("en" if language == "en" else "")
    html = (root / "assignments" / paper / "index.html").read_text(encoding="utf-8")
    images = BeautifulSoup(html, "html.parser").find_all("img")
    for name in FIGURES[paper]:
        for theme in ("light", "dark"):
            found = [img for img in images
                     if img.get("src", "").split("#")[0].endswith(
                         f"assets/figures/{paper}-{name}.{theme}.svg")]
            assert len(found) == 1, f"{paper}-{name}.{theme}.svg on the {language} page"
            alt = found[0].get("alt", "")
            assert len(alt) > 40, f"{paper}-{name}: alt text should describe the figure"
            assert bool(HANGUL.search(alt)) == (language == "ko")
            svg = built_site.path / "assets" / "figures" / f"{paper}-{name}.{theme}.svg"
            assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))


def test_the_figures_are_drawn_by_the_package_not_committed() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"
    committed = {p.name for p in docs.rglob("*.svg")}
    for paper, names in FIGURES.items():
        for name in names:
            assert f"{paper}-{name}.light.svg" not in committed
