"""The figures hook draws each paper's page figures once per theme, caches them, drops stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

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
