"""MkDocs hook: the theory pages' figures, drawn by the package at build time in both themes.

A paper whose ``dlpapers.<paper>.experiment`` defines ``page_figures() -> dict[str, Figure]``
gets each figure drawn twice, as ``assets/figures/<paper>-<name>.light.svg`` and ``.dark.svg``
(created inside :func:`dlpapers.figures.themed`), added to every language build's files. A page
shows them with Material's theme switch for images::

    ![what the figure shows](../../assets/figures/vit-patches.light.svg#only-light)
    ![what the figure shows](../../assets/figures/vit-patches.dark.svg#only-dark)

The SVGs are cached in ``.cache/figures/<paper>-<key>/``; the key hashes the paper's folder and the
shared modules, so a warm build draws nothing and a change in the package redraws exactly that
paper. A page that links to a figure ``page_figures`` does not return fails ``--strict``.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import shutil
import sys
import time
from pathlib import Path

from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.figures")
ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "code" / "dlpapers"
CACHE = Path(".cache") / "figures"
PAPERS = ("vit", "aae", "mdn")
SHARED = ("__init__.py", "data.py", "train.py", "metrics.py", "figures.py")


def source_key(paper: str) -> str:
    """Hash of what a paper's page figures can depend on: its folder and the shared modules."""
    hasher = hashlib.sha256()
    paths = sorted((PACKAGE / paper).rglob("*.py")) + [PACKAGE / name for name in SHARED]
    for path in paths:
        hasher.update(path.relative_to(PACKAGE).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def draw(paper: str, into: Path) -> list[Path]:
    """Call ``dlpapers.<paper>.experiment.page_figures`` once per theme and save the SVGs."""
    if str(PACKAGE.parent) not in sys.path:
        sys.path.insert(0, str(PACKAGE.parent))
    from dlpapers.figures import THEMES, save_svg, themed

    experiment = importlib.import_module(f"dlpapers.{paper}.experiment")
    if not hasattr(experiment, "page_figures"):
        return []
    written = []
    for theme in THEMES:
        with themed(theme):
            figures = experiment.page_figures()
            for name, figure in figures.items():
                written.append(save_svg(figure, into / f"{paper}-{name}.{theme}.svg"))
    return written


def cached_figures() -> list[Path]:
    """Every paper's SVGs, drawn now if the cache has none for the current source."""
    found = []
    for paper in PAPERS:
        cached = CACHE / f"{paper}-{source_key(paper)}"
        if not cached.exists():
            start = time.perf_counter()
            partial = cached.with_name(cached.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            drawn = draw(paper, partial)
            partial.mkdir(parents=True, exist_ok=True)
            partial.rename(cached)
            if drawn:
                log.info(f"figures: drew {len(drawn)} for {paper} in "
                         f"{time.perf_counter() - start:.1f} s")
        for stale in CACHE.glob(f"{paper}-*"):
            if stale != cached and not stale.name.endswith(".partial"):
                shutil.rmtree(stale, ignore_errors=True)
        found += sorted(cached.glob("*.svg"))
    return found


def on_files(files, config, **kwargs):
    for svg in cached_figures():
        files.append(File.generated(config, f"assets/figures/{svg.name}", abs_src_path=str(svg)))
    return files
