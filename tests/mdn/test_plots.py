"""The MDN theory page's figures draw from data, a model and a fitted mixture."""

from __future__ import annotations

import matplotlib
import torch

from dlpapers import data
from dlpapers.mdn import MDNConfig, MeanRegressor, MixtureDensityNetwork, plots
from dlpapers.mdn.experiment import bimodal_gmm

matplotlib.use("Agg")


def test_unconditional_gmm_finds_both_modes_of_the_bimodal_data() -> None:
    samples, gmm = bimodal_gmm(n=2000, seed=0)
    means = sorted(float(m) for m in gmm.means_.ravel())
    assert abs(means[0] - (-2.0)) < 0.2 and abs(means[1] - 1.5) < 0.2
    assert abs(float(gmm.weights_.min()) - 0.35) < 0.05
    figure = plots.mixture_fit(samples, gmm.weights_, gmm.means_, gmm.covariances_ ** 0.5)
    lines = figure.axes[0].get_lines()
    assert len(lines) == 3  # two weighted components and their sum
    component_sum = lines[0].get_ydata() + lines[1].get_ydata()
    assert torch.allclose(torch.as_tensor(component_sum), torch.as_tensor(lines[2].get_ydata()))


def test_regression_figure_draws_the_data_and_the_mse_curve_alone() -> None:
    t, x = data.inverted_sinusoid(200, seed=0)
    config = MDNConfig(hidden=(8,), components=3)
    figure = plots.baselines(t, x, MeanRegressor(config))
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert labels == ["MSE fit = E[x | t]"]


def test_density_slices_draw_one_panel_per_input_whose_components_sum_to_the_mixture() -> None:
    t, x = data.inverted_sinusoid(300, seed=0)
    model = MixtureDensityNetwork(MDNConfig(hidden=(8,), components=3))
    figure = plots.density_slices(model, t, x, at=(0.15, 0.35, 0.6))
    assert [ax.get_title() for ax in figure.axes] == ["t = 0.15", "t = 0.35", "t = 0.6"]
    for ax in figure.axes:
        *components, mixture = ax.get_lines()
        assert len(components) == 3
        total = sum(torch.as_tensor(line.get_ydata()) for line in components)
        assert torch.allclose(total, torch.as_tensor(mixture.get_ydata()), atol=1e-5)
