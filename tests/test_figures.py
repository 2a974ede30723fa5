"""Figures that follow the site's theme: dark text on light, light text on dark, stable bytes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb

from dlpapers.figures import save_svg, themed


def a_figure():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0], label="line")
    ax.set(title="title", xlabel="x")
    ax.legend()
    return fig


def brightness(color) -> float:
    return sum(to_rgb(color)) / 3


def test_dark_theme_draws_light_text_and_light_theme_dark_text():
    with themed("dark"):
        dark = a_figure()
    with themed("light"):
        light = a_figure()
    dark_title, light_title = dark.axes[0].title, light.axes[0].title
    assert brightness(dark_title.get_color()) > 0.7 > 0.3 > brightness(light_title.get_color())
    assert dark.get_facecolor()[3] == 0 and light.get_facecolor()[3] == 0  # transparent
    plt.close("all")


def test_an_unknown_theme_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="dark"), themed("sepia"):
        pass


def test_saved_svgs_depend_only_on_what_they_show(tmp_path):
    first = save_svg(a_figure(), tmp_path / "a.svg").read_bytes()
    second = save_svg(a_figure(), tmp_path / "b.svg").read_bytes()
    assert first == second and b"<svg" in first
