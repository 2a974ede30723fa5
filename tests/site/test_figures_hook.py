"""The figures hook: page figures drawn once per theme, cached, stale ones dropped, and shown on
every theory page in both languages."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import urlsplit

import matplotlib.pyplot as plt
import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def hook(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("figures_hook", ROOT / "hooks" / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "CACHE", tmp_path / "cache")
    monkeypatch.setattr(module, "PAPERS", ("vit",))
    return module


def test_page_figures_are_drawn_per_theme_cached_and_stale_ones_removed(hook, monkeypatch):
    import dlpapers.vit.experiment as experiment

    calls = []

    def page_figures():
        calls.append(plt.rcParams["text.color"])
        fig, ax = plt.subplots()
        ax.plot([0, 1])
        return {"line": fig}

    monkeypatch.setattr(experiment, "page_figures", page_figures, raising=False)
    stale = hook.CACHE / "vit-0123456789abcdef"
    stale.mkdir(parents=True)
    (stale / "vit-gone.light.svg").write_text("<svg/>")
    drawn = hook.cached_figures()
    assert [p.name for p in drawn] == ["vit-line.dark.svg", "vit-line.light.svg"]
    assert len(calls) == 2 and calls[0] != calls[1]  # one call per theme, different text colours
    assert not stale.exists()
    assert hook.cached_figures() == drawn and len(calls) == 2  # the cache answered


def test_the_cache_key_follows_the_papers_folder_and_the_shared_modules(hook, tmp_path,
                                                                       monkeypatch):
    package = tmp_path / "dlpapers"
    (package / "vit").mkdir(parents=True)
    (package / "aae").mkdir()
    for name in (*hook.SHARED, "vit/model.py", "aae/model.py"):
        (package / name).write_text(f"# {name}\n")
    monkeypatch.setattr(hook, "PACKAGE", package)
    key = hook.source_key("vit")
    (package / "aae" / "model.py").write_text("# changed\n")
    assert hook.source_key("vit") == key
    (package / "train.py").write_text("# changed\n")
    assert hook.source_key("vit") != key


# --- on the built site -------------------------------------------------------------------------

DOCS = ROOT / "docs"
THEORY = sorted(p.parent.name for p in (DOCS / "assignments").glob("*/index.ko.md"))
FIGURE = re.compile(r"assets/figures/([\w.-]+\.svg)")
# figures (each a light + dark pair) a theory page must show at least
AT_LEAST = {"vit": 3, "aae": 2, "mdn": 3}


@pytest.mark.parametrize("paper", THEORY)
def test_theory_pages_carry_their_figures_in_both_languages(built_site, paper):
    drawn = {p.name for p in (built_site.path / "assets" / "figures").glob(f"{paper}-*.svg")}
    referenced = {}
    for language in ("ko", "en"):
        source = (DOCS / "assignments" / paper / f"index.{language}.md").read_text()
        referenced[language] = set(FIGURE.findall(source))
        page = built_site.path.joinpath(*(("en",) if language == "en" else ()), "assignments",
                                        paper)
        soup = BeautifulSoup((page / "index.html").read_text(), "html.parser")
        images = [img for img in soup.select("article img") if "assets/figures/" in img["src"]]
        assert {Path(urlsplit(img["src"]).path).name for img in images} == referenced[language]
        for img in images:
            assert (page / urlsplit(img["src"]).path).resolve().is_file(), img["src"]
            assert img.get("alt"), f"{paper} ({language}): a figure without alt text"
            if language == "ko":
                assert re.search("[가-힣]", img["alt"]), "English alt text on the Korean page"
    assert referenced["ko"] == referenced["en"], "the two languages show different figures"
    assert drawn <= referenced["ko"], f"drawn but not shown: {drawn - referenced['ko']}"
    pairs = {name.rsplit(".", 2)[0] for name in referenced["ko"]}
    assert all(f"{pair}.{theme}.svg" in referenced["ko"] for pair in pairs
               for theme in ("light", "dark")), "every figure needs its light and dark version"
    assert len(pairs) >= AT_LEAST.get(paper, 0)
