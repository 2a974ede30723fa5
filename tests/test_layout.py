"""The package layout as a specification: one folder per paper, dependencies flowing one way."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "code" / "dlpapers"
PAPERS = ("vit", "aae", "mdn")
SHARED = ("data", "train", "metrics", "export", "exercises")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


@pytest.mark.parametrize("paper", PAPERS)
def test_each_paper_folder_has_its_rooms(paper):
    rooms = {p.name for p in (PACKAGE / paper).glob("*.py")}
    assert {"__init__.py", "model.py", "experiment.py", "plots.py", "export.py",
            "exercises.py"} <= rooms


@pytest.mark.parametrize("paper", PAPERS)
def test_a_paper_never_imports_another_paper(paper):
    others = [f"dlpapers.{other}" for other in PAPERS if other != paper]
    for path in (PACKAGE / paper).glob("*.py"):
        bad = {m for m in imports(path) if m.startswith(tuple(others))}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("paper", PAPERS)
def test_models_use_torch_and_einops_only(paper):
    allowed = ("torch", "einops", "__future__", "dataclasses", "math", "collections", "typing")
    bad = {m for m in imports(PACKAGE / paper / "model.py") if not m.startswith(allowed)}
    assert not bad, f"{paper}/model.py imports {bad}"


@pytest.mark.parametrize("paper", PAPERS)
def test_plots_never_train(paper):
    bad = {m for m in imports(PACKAGE / paper / "plots.py")
           if m.startswith(("dlpapers.train", f"dlpapers.{paper}.experiment", "dlpapers.cli"))}
    assert not bad, f"{paper}/plots.py imports {bad}"


@pytest.mark.parametrize("module", SHARED)
def test_shared_modules_know_no_paper(module):
    bad = {m for m in imports(PACKAGE / f"{module}.py")
           if m.startswith(tuple(f"dlpapers.{p}" for p in PAPERS))}
    assert not bad, f"{module}.py imports {bad}"


def test_no_module_is_over_about_300_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 320}
    assert not long, f"split these modules: {long}"


@pytest.mark.parametrize("old, new, attribute", [
    ("dlpapers.experiments", "dlpapers.vit.experiment", "train_vit"),
    ("dlpapers.experiments", "dlpapers.train", "Run"),
    ("dlpapers.plots", "dlpapers.vit.plots", "vit_attention"),
    ("dlpapers.plots", "dlpapers.mdn.plots", "mdn_density"),
    ("dlpapers.sampling", "dlpapers.mdn.sampling", "quantile"),
    ("dlpapers.metrics", "dlpapers.mdn.metrics", "oracle_nll"),
])
def test_old_import_paths_still_work_and_name_the_new_place(old, new, attribute):
    import importlib

    module = importlib.import_module(old)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        moved = getattr(module, attribute)
    new_name = attribute.removeprefix("vit_").removeprefix("mdn_")
    assert moved is getattr(importlib.import_module(new), new_name)


def test_an_unknown_old_name_is_an_attribute_error():
    import dlpapers.plots

    with warnings.catch_warnings(), pytest.raises(AttributeError, match="no attribute 'nothing'"):
        warnings.simplefilter("error")
        dlpapers.plots.nothing  # noqa: B018
