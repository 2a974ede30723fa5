"""The built site: strict build, both languages everywhere, rendered notebooks, no broken links."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGUAGES = ("ko", "en")
PAGES = sorted(p for p in DOCS.rglob("*") if re.search(r"\.(ko|en)\.(md|ipynb)$", p.name))
NOTEBOOKS = sorted(DOCS.rglob("*.ko.ipynb"))


def twin(path: Path) -> Path:
    other = {".ko.": ".en.", ".en.": ".ko."}
    for a, b in other.items():
        if a in path.name:
            return path.with_name(path.name.replace(a, b))
    raise AssertionError(path)


def page_dir(site: Path, source: Path, language: str) -> Path:
    """Where the built page of ``docs/<source>`` lives (``use_directory_urls``)."""
    relative = source.relative_to(DOCS)
    stem = relative.name.split(".")[0]
    parts = relative.parent.parts + (() if stem == "index" else (stem,))
    return site.joinpath(*(() if language == "ko" else ("en",)), *parts)


# --- sources ---------------------------------------------------------------------------------


def test_every_page_exists_in_both_languages():
    assert PAGES, "no pages found"
    missing = [str(p.relative_to(DOCS)) for p in PAGES if not twin(p).exists()]
    assert not missing, f"pages without their other-language twin: {missing}"
    unsuffixed = [p for p in DOCS.rglob("*.md") if not re.search(r"\.(ko|en)\.md$", p.name)]
    assert not unsuffixed, f"pages without a language suffix: {unsuffixed}"


def test_every_nav_entry_exists_in_both_languages():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

    def entries(nav):
        for item in nav:
            if isinstance(item, str):
                yield item
            else:
                for value in item.values():
                    yield from (entries(value) if isinstance(value, list) else [value])

    for entry in entries(config["nav"]):
        stem, suffix = entry.rsplit(".", 1)
        for language in LANGUAGES:
            assert (DOCS / f"{stem}.{language}.{suffix}").exists(), f"{entry} has no {language}"


@pytest.mark.parametrize("korean", NOTEBOOKS, ids=lambda p: str(p.relative_to(DOCS)))
def test_notebook_pairs_have_identical_code_cells(korean):
    def code(path):
        return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]

    assert code(korean) == code(twin(korean))
    assert code(korean), "a notebook without code"


@pytest.mark.parametrize("path", sorted(DOCS.rglob("*.ipynb")), ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


# --- the build -------------------------------------------------------------------------------


def test_strict_build_has_no_warnings(built_site):
    warnings = [line for line in built_site.log.splitlines() if re.match(r"WARNING\s+-", line)]
    assert not warnings, warnings


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(DOCS)))
def test_notebook_pages_hold_rendered_cells_and_figures(built_site, notebook, language):
    html = (page_dir(built_site.path, notebook, language) / "index.html").read_text()
    assert '"cell_type"' not in html, "the notebook was copied raw (mkdocs-static-i18n issue 198)"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select(".jp-CodeCell"), "no rendered code cell"
    assert not soup.select(".jp-OutputArea-output pre:-soup-contains('Traceback')")
    source = nbformat.read(notebook, as_version=4)
    if any("plots." in c.source for c in source.cells if c.cell_type == "code"):
        assert soup.select(".jp-OutputArea-output img[src$='.png']"), "no figure"
    assert soup.select(".notebook-actions a[download]"), "no download link"
    assert not soup.select("script[src='']"), "an empty script tag (mkdocs-jupyter's MathJax 2)"
    command = source.metadata.get("dlpapers", {}).get("command")
    if command:  # the notebook's command-line twin is shown in its action box
        assert command in soup.select_one(".notebook-actions").get_text()
    name = notebook.name.replace(".ko.", f".{language}.")
    assert (page_dir(built_site.path, notebook, language) / name).exists(), "notebook not copied"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(DOCS)))
def test_notebook_pages_stay_small(built_site, notebook):
    for language in LANGUAGES:
        size = (page_dir(built_site.path, notebook, language) / "index.html").stat().st_size
        assert size <= 1.5 * 1024 * 1024, f"{notebook.name} ({language}): {size / 1024:.0f} KB"


def test_korean_headings_get_readable_anchors(built_site):
    for page in ("office-hour/index.html", "assignments/mdn/sampling/index.html"):
        soup = BeautifulSoup((built_site.path / page).read_text(), "html.parser")
        ids = [h.get("id", "") for h in soup.select("article h2, article h1")]
        assert ids and all(ids), f"{page}: a heading without id"
        assert not [i for i in ids if re.fullmatch(r"_\d+", i) or "%" in i], ids
        assert any(re.search("[가-힣]", i) for i in ids), ids


def test_language_switcher_links_to_the_same_page(built_site):
    soup = BeautifulSoup(
        (built_site.path / "office-hour/qa/first-papers/index.html").read_text(), "html.parser"
    )
    english = soup.select_one("a.md-select__link[hreflang='en']")
    assert english is not None
    assert english["href"].rstrip("/").endswith("en/office-hour/qa/first-papers")


def test_the_theme_toggles_are_named_in_the_page_language(built_site):
    for prefix, hangul in (("", True), ("en/", False)):
        soup = BeautifulSoup((built_site.path / prefix / "index.html").read_text(), "html.parser")
        names = [label["title"] for label in soup.select("form[data-md-component='palette'] label")]
        assert len(names) == 3, names
        assert all(bool(re.search("[가-힣]", name)) == hangul for name in names), names


def test_nothing_is_loaded_from_another_host(built_site):
    offenders = set()
    for page in built_site.path.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in soup.find_all(tag):
                url = element.get(attribute, "")
                if tag == "link" and "stylesheet" not in element.get("rel", []):
                    continue
                if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                    offenders.add(f"{page.relative_to(built_site.path)}: {url}")
    assert not offenders, sorted(offenders)[:10]


def test_search_index_holds_both_languages_and_splits_on_punctuation(built_site):
    index = json.loads((built_site.path / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert any(loc.startswith("en/") for loc in locations)
    assert any(not loc.startswith("en/") for loc in locations)
    separator = re.compile(index["config"]["separator"])
    assert separator.split("(소프트맥스)")[1] == "소프트맥스"
    words = [w for w in separator.split('「패치」와 "잔차 연결",') if w]
    assert words == ["패치", "와", "잔차", "연결"]


# --- links -----------------------------------------------------------------------------------


def _targets(site: Path):
    ids: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served for any path, so its links are absolute by design
            continue
        soup = BeautifulSoup(page.read_text(), "html.parser")
        ids[page] = {e["id"] for e in soup.find_all(id=True)} | {
            e["name"] for e in soup.find_all("a", attrs={"name": True})
        }
        for element in soup.find_all(["a", "link", "script", "img"]):
            url = element.get("href") or element.get("src")
            if url:
                links.append((page, url))
    return ids, links


def test_no_broken_internal_link_or_anchor(built_site):
    site = built_site.path
    ids, links = _targets(site)
    broken = []
    for page, url in links:
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("//", "mailto:", "javascript:", "data:")):
            continue
        path = unquote(parts.path)
        if path.startswith("/"):
            target = (site / path.lstrip("/")).resolve()
        else:
            target = page if not path else (page.parent / path).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.exists():
            broken.append(f"{page.relative_to(site)} -> {url}")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in ids.get(target, set()):
            broken.append(f"{page.relative_to(site)} -> {url} (no such anchor)")
    assert not broken, "\n".join(sorted(set(broken))[:40])


# --- the execution cache ---------------------------------------------------------------------


def test_a_second_build_takes_every_notebook_from_the_cache(built_site, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "s")],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    log = result.stdout + result.stderr
    assert "Converting notebook" not in log, "a notebook was executed again"
    assert log.count("Cache hit") == 2 * len(NOTEBOOKS)  # both languages
