"""Every notebook: a Colab setup cell first, a reproducibility card last, and an Open in Colab link.

These rules hold for every notebook under docs/, so a notebook added later has to follow them.
Colab itself cannot be reached from here: the tests check the link's form and that the setup cell
installs nothing outside Colab, and what it would run inside Colab.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from importlib.metadata import version
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))
CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
REPO_URL = CONFIG["repo_url"].rstrip("/")
IDS = {"ids": lambda p: str(p.relative_to(DOCS))}


def code_cells(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def setup_cell() -> str:
    """The first code cell of every notebook (the one in the ViT notebook is the reference)."""
    return code_cells(DOCS / "assignments" / "vit" / "notebook.ko.ipynb")[0]


@pytest.mark.parametrize("path", NOTEBOOKS, **IDS)
def test_every_notebook_starts_with_the_same_colab_setup_cell(path):
    first = code_cells(path)[0]
    assert first == setup_cell(), f"{path.name}: its first code cell must be the setup cell"
    assert f'"dlpapers @ git+{REPO_URL}"' in first, "the install must come from repo_url"


@pytest.mark.parametrize("path", NOTEBOOKS, **IDS)
def test_every_notebook_ends_with_its_reproducibility_card(path):
    last = code_cells(path)[-1]
    assert re.fullmatch(r"reproducibility\.card\(clock, seeds=\{.+\}\)", last, flags=re.DOTALL)


def run_setup_cell(monkeypatch, in_colab: bool) -> tuple[list, dict]:
    import subprocess

    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    if in_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    namespace: dict = {}
    exec(compile(setup_cell(), "setup-cell", "exec"), namespace)
    return calls, namespace


def test_the_setup_cell_installs_nothing_outside_colab(monkeypatch):
    calls, namespace = run_setup_cell(monkeypatch, in_colab=False)
    assert calls == []
    assert type(namespace["clock"]).__name__ == "Clock"  # the clock for the card is running


def test_in_colab_the_setup_cell_installs_from_the_repository_and_keeps_torch(monkeypatch):
    calls, _ = run_setup_cell(monkeypatch, in_colab=True)
    assert len(calls) == 1
    (command,), options = calls[0]
    assert command[:4] == [sys.executable, "-m", "pip", "install"]
    assert f"dlpapers @ git+{REPO_URL}" in command
    # the installed torch and NumPy are requirements of the same install: pip keeps them, or
    # stops with a conflict instead of replacing Colab's CUDA build of torch
    assert f"torch=={version('torch')}" in command and f"numpy=={version('numpy')}" in command
    assert options.get("check") is True


@pytest.fixture(scope="module")
def notebooks_hook():
    spec = importlib.util.spec_from_file_location("notebooks_hook", ROOT / "hooks" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def colab_link(src_uri: str) -> str:
    owner_repo = REPO_URL.removeprefix("https://github.com/")
    branch = CONFIG["edit_uri"].strip("/").split("/")[1]
    return f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/docs/{src_uri}"


def test_the_colab_link_is_derived_from_repo_url(notebooks_hook):
    url = notebooks_hook.colab_url(CONFIG["repo_url"], CONFIG["edit_uri"],
                                   "assignments/vit/notebook.en.ipynb")
    assert url == colab_link("assignments/vit/notebook.en.ipynb")
    assert url == ("https://colab.research.google.com/github/boostcamp-day9/dlpapers/blob/main/"
                   "docs/assignments/vit/notebook.en.ipynb")


# --- the built notebook pages ------------------------------------------------------------------


def built_pages(site: Path):
    for path in NOTEBOOKS:
        relative = path.relative_to(DOCS)
        stem, language = relative.name.split(".")[:2]
        parts = relative.parent.parts + (() if stem == "index" else (stem,))
        yield path, site.joinpath(*(() if language == "ko" else ("en",)), *parts, "index.html")


def test_every_built_notebook_page_has_a_colab_button_next_to_download(built_site):
    for source, page in built_pages(built_site.path):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        button = soup.select_one(".notebook-actions a.notebook-colab")
        assert button is not None, page
        assert button["href"] == colab_link(source.relative_to(DOCS).as_posix())
        assert button.find_parent("p").select_one("a[download]"), "not beside the download link"


def test_every_built_notebook_page_ends_with_a_filled_reproducibility_card(built_site):
    from dlpapers.reproducibility import LABELS

    for _, page in built_pages(built_site.path):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        cards = soup.select(".reproducibility-card")
        assert len(cards) == 1, page
        fields = {tr["data-field"]: tr.td.get_text() for tr in cards[0].select("tr[data-field]")}
        assert list(fields) == list(LABELS), page
        assert all(value.strip() for value in fields.values()), fields
        assert fields["torch"].startswith("2.") and fields["numpy"][0].isdigit()
        assert fields["seeds"] != "none" and fields["commit"] != "unknown", fields
        assert float(fields["duration"].removesuffix(" s")) > 0
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", fields["date"])
        # the card is the last output of the page's last code cell
        last_cell = soup.select(".jp-CodeCell")[-1]
        assert last_cell.select_one(".reproducibility-card") is cards[0]


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name.endswith(".ko.ipynb")],
                         ids=lambda p: str(p.relative_to(DOCS)))
def test_both_languages_describe_the_same_figure_cells(path):
    def alts(notebook: Path) -> dict[str, str]:
        cells = nbformat.read(notebook, as_version=4).cells
        return {cell.id: cell.metadata["alt"] for cell in cells if "alt" in cell.metadata}

    korean, english = alts(path), alts(path.with_name(path.name.replace(".ko.", ".en.")))
    assert korean.keys() == english.keys()
    assert all(korean[cell] != english[cell] for cell in korean)  # each in its own language
    assert all(re.search("[가-힣]", text) for text in korean.values())


def test_every_notebook_figure_has_its_cell_s_alternative_text(built_site):
    described = 0
    for source, page in built_pages(built_site.path):
        alts = {cell.id: cell.metadata.get("alt")
                for cell in nbformat.read(source, as_version=4).cells}
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for cell in soup.select("div.jp-Cell[id^='cell-id=']"):
            for image in cell.select("img"):
                assert image["alt"] == alts[cell["id"].removeprefix("cell-id=")], (page, image)
                described += 1
    assert described >= 2 * 26  # the four notebooks' figures, in both languages
