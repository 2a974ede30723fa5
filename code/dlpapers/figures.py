"""Figures that read well on the site's light and on its dark theme.

Every paper's ``plots`` draws with matplotlib's defaults; this module only changes the colours
around the data. :func:`themed` is a context manager: a figure *created* inside
``with themed("dark"):`` has light text, light axes and a transparent background, so it sits on
Material's dark ("slate") page. The site's build draws each page figure twice, once per theme,
and the page shows the one that matches (Material's ``#only-light`` / ``#only-dark`` images).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

_TRANSPARENT = {"figure.facecolor": "none", "axes.facecolor": "none", "savefig.transparent": True}
THEMES: dict[str, dict[str, object]] = {
    "light": {**_TRANSPARENT},
    "dark": {
        **_TRANSPARENT,
        **{key: "#d5d7e2" for key in ("text.color", "axes.labelcolor", "axes.edgecolor",
                                      "xtick.color", "ytick.color", "grid.color")},
        "legend.facecolor": "#2e303e",
        "legend.edgecolor": "#5c5f73",
    },
}


@contextmanager
def themed(theme: str) -> Iterator[None]:
    """Create figures inside this block to draw them for the ``"light"`` or ``"dark"`` theme."""
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {sorted(THEMES)}, got {theme!r}")
    with plt.style.context(THEMES[theme]):
        yield


def save_svg(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` as an SVG whose bytes depend only on what it shows (no date, fixed ids),
    close it, and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.hashsalt": "dlpapers", "svg.fonttype": "path"}):
        figure.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(figure)
    return path
