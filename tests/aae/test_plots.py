"""The AAE's figures draw from tensors and a training history."""

from __future__ import annotations

import torch

from tests.aae import build, images


def test_aae_figures_draw_from_tensors_and_a_history() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from dlpapers.aae import plots
    from dlpapers.train import History

    model, x = build(), images(4)
    z, labels = torch.randn(20, 2), torch.arange(20) % 10
    history = History([{"epoch": 1, "reconstruction": 0.1, "discriminator": 1.3,
                        "generator": 0.7, "val_mse": 0.1, "val_mmd2": 0.01}])
    figures = [
        plots.latent_codes({"AAE": z}, labels, torch.randn(30, 2)),
        plots.latent_manifold(model.decode, steps=4),
        plots.latent_manifold(model.decode, steps=3, limit=2.0),
        plots.image_grid(model.sample(5), "samples"),
        plots.reconstructions(x, {"AAE": model(x)}),
        plots.losses(history),
    ]
    assert all(len(fig.axes) >= 1 for fig in figures)
    assert len(figures[0].axes) == 3  # codes, prior, colour bar


def test_block_diagram_marks_the_two_phases_and_both_regularization_steps() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from dlpapers.aae import plots

    figure = plots.block_diagram()
    texts = " ".join(t.get_text() for t in figure.axes[0].texts)
    for words in ("reconstruction phase", "regularization phase", "encoder", "decoder",
                  "discriminator", "prior samples", "1", "2a", "2b"):
        assert words in texts
