"""The ViT's figures: each one draws from real tensors and shows what its docstring promises."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import torch
from einops import rearrange

from dlpapers import data
from dlpapers.train import History
from dlpapers.vit import plots
from dlpapers.vit.experiment import page_figures
from tests.vit import tiny


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(plt.Text)]


@pytest.fixture(scope="module")
def digit() -> torch.Tensor:
    return data.digits().x_test[0]


def test_patches_numbers_every_patch_in_token_order(digit):
    fig = plots.patches(digit, 2)
    shown = texts(fig)
    assert all(str(n) in shown for n in range(16))
    assert all(f"token {n}" in shown for n in range(16))
    plt.close(fig)


def test_pipeline_shows_the_shape_measured_at_every_step(digit):
    model = tiny()
    fig = plots.pipeline(digit, model)
    shown = texts(fig)
    d, classes = model.config.dim, model.config.num_classes
    for shape in ["(1, 1, 8, 8)", "(1, 16, 4)", f"(1, 16, {d})", f"(1, 17, {d})", f"(1, {d})",
                  f"(1, {classes})"]:
        assert shape in shown, shape
    plt.close(fig)


def test_the_two_patterns_give_equal_tokens_but_the_names_transpose_the_grid():
    x = torch.arange(24).view(1, 1, 4, 6)
    ours = rearrange(x, plots.OUR_PATTERN, p1=2, p2=2)
    office = rearrange(x, plots.OFFICE_HOUR_PATTERN, p1=2, p2=2)
    assert torch.equal(ours, office)
    fig = plots.pattern_names(x)
    shown = " ".join(texts(fig))
    assert "patterns: True" in shown
    assert "(1, 1, 6, 4): transposed grid" in shown  # a 4x6 input comes back 6x4
    plt.close(fig)


def test_pattern_names_rejects_a_patch_that_does_not_divide_the_tensor():
    with pytest.raises(ValueError, match="patch_size 4 dividing"):
        plots.pattern_names(torch.arange(24).view(1, 1, 4, 6), patch_size=4)


def test_training_plots_validation_accuracy_never_test():
    history = History([{"epoch": e, "loss": 2.0 / e, "val_accuracy": 0.5 + e / 10}
                       for e in range(1, 4)])
    fig = plots.training(history)
    shown = " ".join(texts(fig))
    assert "Validation accuracy (final 0.800)" in shown and "Test" not in shown
    plt.close(fig)


def test_page_figures_draw_the_patches_the_pipeline_and_the_pattern_demo():
    figures = page_figures()
    assert set(figures) == {"patches", "pipeline", "pattern-names"}
    for fig in figures.values():
        plt.close(fig)
