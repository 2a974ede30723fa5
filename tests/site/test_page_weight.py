"""What the built pages carry: math as SVG made at build time, notebook CSS and figures as files.

Issue #13: a page without math loads no math at all; a page with math carries SVG and no math
JavaScript; a notebook page links one shared JupyterLab stylesheet instead of inlining 580 KB of
it, and its figures are image files with their size and lazy loading, not base64.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

MATH_SCRIPT = re.compile(r"mathjax|katex|tex-mml|tex-chtml|tex-svg", re.IGNORECASE)


def html_pages(site: Path) -> list[Path]:
    pages = [p for p in site.rglob("index.html") if "assets" not in p.parts]
    assert len(pages) > 40, "the site looks empty"
    return pages


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_page_loads_a_math_script(built_site):
    for path in html_pages(built_site.path):
        page = soup(path)
        scripts = [s.get("src", "") + s.get_text() for s in page.find_all("script")]
        assert not [s[:80] for s in scripts if MATH_SCRIPT.search(s)], path
    assert not list(built_site.path.rglob("tex-mml-chtml.js")), "the MathJax bundle is shipped"


def test_only_pages_with_math_link_the_math_stylesheet(built_site):
    with_math = without_math = 0
    for path in html_pages(built_site.path):
        page = soup(path)
        has_math = page.select_one("article mjx-container") is not None
        links = [a["href"] for a in page.select("link[rel=stylesheet]") if "math." in a["href"]]
        assert bool(links) == has_math, path
        with_math += has_math
        without_math += not has_math
        if links:
            assert (path.parent / links[0]).resolve().is_file(), links[0]
    assert with_math >= 10 and without_math >= 10, (with_math, without_math)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_formulas_are_svg_with_mathml_for_screen_readers(built_site, prefix):
    page = soup(built_site.path / prefix / "assignments/vit/index.html")
    formulas = page.select("article mjx-container")
    assert len(formulas) >= 5
    for formula in formulas:
        assert formula.find("svg") is not None and formula.find("svg").find("path") is not None
        assert formula.select_one("mjx-assistive-mml math") is not None
    text = page.select_one("article").get_text()
    assert "\\(" not in text and "\\[" not in text, "a formula was left as TeX"


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_notebook_markdown_math_is_typeset(built_site, prefix):
    page = soup(built_site.path / prefix / "assignments/mdn/sampling/index.html")
    cells = page.select(".jp-RenderedMarkdown")
    assert cells
    text = " ".join(cell.get_text(" ") for cell in cells)
    leftover = re.findall(r"\$[^$\s][^$]*\$", text)
    assert not leftover, f"TeX left in markdown cells: {leftover[:3]}"
    mathml = " ".join(str(m) for m in page.select(".jp-RenderedMarkdown mjx-assistive-mml"))
    assert "<mo>∼</mo>" in mathml, "\\sim was not rendered as the tilde operator"


def notebook_pages(site: Path) -> list[Path]:
    pages = [p.parent / "index.html" for p in site.rglob("*.ipynb")]
    pages = [p for p in pages if p.exists()]
    assert len(pages) >= 8, pages
    return pages


def test_notebook_pages_carry_no_base64_image_and_no_inline_jupyterlab_css(built_site):
    for path in notebook_pages(built_site.path):
        text = path.read_text(encoding="utf-8")
        page = BeautifulSoup(text, "html.parser")
        assert "data:image/png;base64" not in text, path
        inline = [s.get_text()[:60] for s in page.find_all("style") if "jp-" in s.get_text()]
        assert not inline, f"{path}: JupyterLab CSS inlined: {inline}"
        sheets = [a["href"] for a in page.select("link[rel=stylesheet]")]
        sheets = [href for href in sheets if "notebook." in href]
        assert len(sheets) == 1, path
        css = (path.parent / sheets[0]).resolve()
        assert css.is_file() and ".jp-OutputArea" in css.read_text(), css
        assert len(text.encode()) < 300_000, f"{path} is {len(text.encode())} bytes"


def test_all_notebook_pages_share_one_stylesheet(built_site):
    sheets = {
        (path.parent / a["href"]).resolve()
        for path in notebook_pages(built_site.path)
        for a in soup(path).select('link[rel="stylesheet"]')
        if "notebook." in a["href"]
    }
    assert len(sheets) == 1, sheets


def test_notebook_figures_are_files_with_their_size_and_lazy_loading(built_site):
    figures = 0
    for path in notebook_pages(built_site.path):
        for img in soup(path).select(".jp-OutputArea-output img"):
            figures += 1
            file = path.parent / img["src"]
            assert file.is_file(), file
            data = file.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            assert (int(img["width"]), int(img["height"])) == struct.unpack(">II", data[16:24])
            assert img["loading"] == "lazy"
    assert figures >= 10


def test_the_action_box_sits_under_the_notebook_title(built_site):
    for path in notebook_pages(built_site.path):
        article = soup(path).select_one("article")
        first_heading = article.find("h1")
        box = article.select_one(".notebook-actions")
        assert box is not None and first_heading is not None, path
        assert first_heading.find_next(class_="notebook-actions") is box, path
        assert box.find_previous("h1") is first_heading, path


def test_api_source_listings_wait_in_templates_until_opened(built_site):
    page = soup(built_site.path / "reference/vit/index.html")
    sources = page.select("details.mkdocstrings-source")
    assert sources
    for details in sources:
        assert details.select_one("p.doc-source-link a[href*='github.com']")
        template = details.find("template", class_="doc-source")
        assert template is not None and "highlighttable" in str(template)
        assert not details.find("table", recursive=False)


def test_hreflang_pairs_live_in_the_sitemap_not_in_page_heads(built_site):
    # Material would fetch <alternate>/sitemap.xml for each head link (404s in the console).
    for path in html_pages(built_site.path):
        assert not soup(path).select("head link[rel=alternate][hreflang]"), path
    sitemap = (built_site.path / "sitemap.xml").read_text()
    assert sitemap.count('hreflang="en"') >= 40 and sitemap.count('hreflang="ko"') >= 40


def test_every_api_object_is_documented_once_on_a_page_of_its_module(built_site):
    # A paper's package re-exports its model (`dlpapers.vit.ViT` is `dlpapers.vit.model.ViT`);
    # the API shows each object once, under its module, and each paper's modules get pages of
    # their own: one page with all of them was the slowest page on a phone (issue #13).
    import dlpapers.aae
    import dlpapers.mdn
    import dlpapers.vit

    for language in ("", "en/"):
        headings: dict[str, list[Path]] = {}
        for path in (built_site.path / language / "reference").rglob("index.html"):
            for heading in soup(path).select(".doc-heading[id^='dlpapers.']"):
                headings.setdefault(heading["id"], []).append(path)
        assert {name: paths for name, paths in headings.items() if len(paths) > 1} == {}
        for package in (dlpapers.vit, dlpapers.aae, dlpapers.mdn):
            paper = package.__name__
            for name in package.__all__:
                assert f"{paper}.{name}" not in headings, f"{paper}.{name} is shown twice"
                module = getattr(package, name).__module__ if callable(getattr(package, name)) \
                    else None
                if module:
                    assert f"{module}.{name}" in headings, f"{module}.{name} is not documented"
            for room in ("experiment", "plots", "export"):
                page = built_site.path / language / "reference" / paper.split(".")[1] / room
                assert (page / "index.html").is_file(), page
                assert f"{paper}.{room}" in headings
