"""The whole site as one printable page per language (print-site + hooks/print_site.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

LANGUAGES = {"ko": "", "en": "en/"}
EXCLUDED = ("reference/", "tags/")  # the API reference and the tag index are not printed


def chapter_pages(site: Path, prefix: str) -> list[Path]:
    """Every built page of one language that the print page should hold."""
    root = site / prefix if prefix else site
    pages = []
    for page in sorted(root.rglob("index.html")):
        relative = page.relative_to(root).as_posix()
        if not prefix and relative.startswith("en/"):
            continue
        if relative.startswith(EXCLUDED) or relative.startswith(("print_page/", "404")):
            continue
        pages.append(page)
    return pages


def print_page(site: Path, prefix: str) -> BeautifulSoup:
    path = site / prefix / "print_page" / "index.html"
    assert path.exists(), f"no print page at {path}"
    return BeautifulSoup(path.read_text(), "html.parser")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_print_page_holds_every_chapter_heading(built_site, language):
    prefix = LANGUAGES[language]
    printed = print_page(built_site.path, prefix)
    assert printed.html["lang"] == language
    text = re.sub(r"\s+", " ", printed.select_one("#print-site-page").get_text(" "))
    pages = chapter_pages(built_site.path, prefix)
    assert len(pages) >= 20
    missing = []
    for page in pages:
        h1 = BeautifulSoup(page.read_text(), "html.parser").select_one("article h1")
        title = re.sub(r"\s+", " ", h1.get_text(" ")).replace("¶", "").strip()
        if title not in text:
            missing.append(f"{page.relative_to(built_site.path)}: {title}")
    assert not missing, missing


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_print_page_holds_every_notebook_figure_and_the_math(built_site, language):
    prefix = LANGUAGES[language]
    printed = print_page(built_site.path, prefix)
    # Notebook figures are image files next to their page (not base64): the print page must
    # show the same files, linked from where it is.
    here = built_site.path / prefix / "print_page"
    figures = {(here / img["src"]).resolve() for img in printed.select("img[src]")}
    expected = set()
    for page in chapter_pages(built_site.path, prefix):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        expected |= {(page.parent / img["src"]).resolve()
                     for img in soup.select(".jp-OutputArea-output img[src]")}
    assert len(expected) >= 20 and all(path.is_file() for path in expected)
    assert expected <= figures, sorted(str(p) for p in expected - figures)[:5]
    assert printed.select(".arithmatex"), "no math on the print page"
    assert printed.select(".reproducibility-card"), "notebook outputs missing"
    assert not printed.select("script[src='']")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_links_to_the_print_page_of_its_language(built_site, language):
    prefix = LANGUAGES[language]
    home = BeautifulSoup((built_site.path / prefix / "index.html").read_text(), "html.parser")
    links = [a["href"] for a in home.select("nav a[href]") if "print_page" in a["href"]]
    assert links and all(link.rstrip("/").endswith("print_page") for link in links)
    assert not any(link.startswith("../") for link in links), "the other language's print page"
