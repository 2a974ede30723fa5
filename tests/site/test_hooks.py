"""The MkDocs hooks: the notebook cache key follows the package modules a notebook imports."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def hook():
    spec = importlib.util.spec_from_file_location("notebooks_hook", ROOT / "hooks" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_notebook(path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": [],
              "execution_count": None} for s in sources]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


def names(paths, package=None) -> set[str]:
    package = package or ROOT / "code" / "dlpapers"
    return {p.relative_to(package).as_posix() for p in paths}


def test_a_notebook_depends_on_the_modules_it_imports_and_nothing_else(hook, tmp_path):
    notebook = write_notebook(tmp_path / "a.ipynb", "import torch\nfrom dlpapers import data")
    assert names(hook.notebook_dependencies(notebook)) == {"__init__.py", "data.py"}


def test_dependencies_follow_the_package_imports_transitively(hook, tmp_path):
    notebook = write_notebook(tmp_path / "b.ipynb", "from dlpapers.cli import main")
    deps = names(hook.notebook_dependencies(notebook))
    # cli imports each paper's experiment, which imports its model and the shared modules
    assert {"cli.py", "vit/experiment.py", "vit/model.py", "vit/__init__.py", "train.py",
            "data.py"} <= deps


def test_a_paper_notebook_depends_on_that_paper_only(hook, tmp_path):
    notebook = write_notebook(tmp_path / "v.ipynb", "from dlpapers.vit import ViTConfig, plots\n"
                              "from dlpapers.vit.experiment import train_vit")
    deps = names(hook.notebook_dependencies(notebook))
    assert {"__init__.py", "vit/__init__.py", "vit/model.py", "vit/plots.py",
            "vit/experiment.py"} <= deps
    assert not any(d.startswith(("aae/", "mdn/")) for d in deps)


def test_the_cache_key_changes_with_an_imported_module_only(hook, tmp_path, monkeypatch):
    package = tmp_path / "dlpapers"
    package.mkdir()
    (package / "vit").mkdir()
    for name in ("__init__", "data", "vit/__init__", "vit/model"):
        (package / f"{name}.py").write_text(f"# {name}\n")
    monkeypatch.setattr(hook, "PACKAGE", package)
    notebook = write_notebook(tmp_path / "c.ipynb", "from dlpapers import data")
    config = {key: "" for key in ("kernel_name", "theme", "allow_errors", "show_input",
                                  "no_input", "no_prompt", "remove_tag_config",
                                  "highlight_extra_classes", "include_requirejs",
                                  "custom_mathjax_url", "toc_depth")}
    key = hook._cache_key(notebook, config, True)
    (package / "vit" / "model.py").write_text("# vit, changed\n")
    assert hook._cache_key(notebook, config, True) == key
    (package / "data.py").write_text("# data, changed\n")
    assert hook._cache_key(notebook, config, True) != key


def test_korean_headings_slugify_to_readable_ids(hook):
    assert hook.slugify("어텐션 시각화") == "어텐션-시각화"
    assert hook.slugify("Why patches?") == "why-patches"
