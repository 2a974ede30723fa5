"""Specification of the mixture density network: its density, loss, mode, inputs, checkpoints."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from dlpapers.mdn import (
    MDNConfig,
    MeanRegressor,
    MixtureDensityNetwork,
    gaussian_mixture,
    marginal,
    mdn_nll,
    mode,
)
from dlpapers.train import load_checkpoint, save_checkpoint
from tests.health import assert_healthy
from tests.mdn import TINY, tiny_model


def test_log_prob_equals_the_mixture_density_computed_by_hand():
    logits = torch.tensor([[0.3, -1.0, 2.0]], dtype=torch.float64)
    loc = torch.tensor([[[0.0], [1.5], [-2.0]]], dtype=torch.float64)
    scale = torch.tensor([[[1.0], [0.2], [0.7]]], dtype=torch.float64)
    mixture = gaussian_mixture(logits, loc, scale)
    weights = torch.softmax(logits[0], 0).numpy()
    for x in (-2.1, 0.0, 1.4, 3.0):
        density = sum(weights[k] * norm.pdf(x, loc[0, k, 0], scale[0, k, 0]) for k in range(3))
        got = mixture.log_prob(torch.tensor([[x]], dtype=torch.float64)).item()
        assert got == pytest.approx(math.log(density), rel=1e-10)


def test_log_prob_of_a_two_dimensional_mixture_uses_log_sum_exp_over_diagonal_gaussians():
    g = torch.Generator().manual_seed(0)
    logits, loc = torch.randn(4, 2, generator=g), torch.randn(4, 2, 3, generator=g)
    scale, x = torch.rand(4, 2, 3, generator=g) + 0.1, torch.randn(4, 3, generator=g)
    log_normal = (-0.5 * ((x[:, None] - loc) / scale) ** 2 - scale.log()
                  - 0.5 * math.log(2 * math.pi)).sum(-1)
    expected = torch.logsumexp(torch.log_softmax(logits, -1) + log_normal, -1)
    torch.testing.assert_close(gaussian_mixture(logits, loc, scale).log_prob(x), expected)


def test_mixture_weights_sum_to_one_and_scales_respect_the_floor():
    model = tiny_model(MDNConfig(hidden=(8,), components=4, min_sigma=0.05))
    mixture = model(torch.linspace(-3, 3, 50)[:, None])
    torch.testing.assert_close(mixture.mixture_distribution.probs.sum(-1), torch.ones(50))
    assert mixture.component_distribution.base_dist.scale.min() >= 0.05


def test_samples_match_the_mixture_mean_and_variance():
    n = 200_000
    mixture = gaussian_mixture(torch.tensor([[0.0, 1.0]]), torch.tensor([[[-2.0], [1.0]]]),
                               torch.tensor([[[0.5], [0.3]]]))
    torch.manual_seed(0)
    samples = mixture.sample((n,))[:, 0, 0].double()
    mean, variance = mixture.mean[0, 0].item(), mixture.variance[0, 0].item()
    assert samples.mean().item() == pytest.approx(mean, abs=5 * math.sqrt(variance / n))
    # the variance of the sample variance is about 2 var^2 / n plus a kurtosis term: 10 sigma
    assert samples.var().item() == pytest.approx(variance, abs=10 * variance * math.sqrt(3 / n))


@settings(max_examples=40, deadline=None)
@given(
    t=st.floats(-1e4, 1e4), x=st.floats(-1e4, 1e4),
    raw_scale=st.floats(-30, 30), log_min_sigma=st.floats(-8, 0),
)
def test_loss_and_gradients_stay_finite_for_extreme_inputs_targets_and_tiny_sigmas(
    t, x, raw_scale, log_min_sigma
):
    model = tiny_model(MDNConfig(hidden=(8,), components=3, min_sigma=10**log_min_sigma))
    with torch.no_grad():
        model.to_scale.bias.fill_(raw_scale)
    loss = mdn_nll(model(torch.tensor([[t], [0.0]])), torch.tensor([[x], [0.1]]))
    loss.backward()
    assert torch.isfinite(loss)
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())


def test_mode_picks_the_highest_peak_not_the_heaviest_component():
    # component 0 is heavier (0.6) but wide; component 1 is light (0.4) and narrow: higher peak
    mixture = gaussian_mixture(torch.tensor([[math.log(0.6), math.log(0.4)]]),
                               torch.tensor([[[0.0], [5.0]]]), torch.tensor([[[3.0], [0.1]]]))
    assert mode(mixture).item() == 5.0


def test_marginal_cdf_is_the_weighted_sum_of_component_cdfs():
    mixture = gaussian_mixture(torch.tensor([[0.0, 1.0]]), torch.tensor([[[0.0, 9.0], [2.0, 9.0]]]),
                               torch.tensor([[[1.0, 1.0], [0.5, 1.0]]]))
    weights = torch.softmax(torch.tensor([0.0, 1.0]), 0)
    expected = weights[0] * norm.cdf(1.0, 0.0, 1.0) + weights[1] * norm.cdf(1.0, 2.0, 0.5)
    assert marginal(mixture, 0).cdf(torch.tensor([1.0])).item() == pytest.approx(float(expected))


@pytest.mark.parametrize("bad", [torch.zeros(5), torch.zeros(5, 2), torch.zeros(2, 5, 1)])
def test_bad_input_shapes_raise_a_value_error_naming_the_shape(bad):
    with pytest.raises(ValueError, match=r"shape \(b, 1\)"):
        tiny_model()(bad)


def test_nan_or_inf_inputs_and_targets_raise_a_value_error():
    model = tiny_model()
    with pytest.raises(ValueError, match="NaN or inf"):
        model(torch.tensor([[0.0], [float("nan")]]))
    with pytest.raises(ValueError, match="NaN or inf"):
        mdn_nll(model(torch.zeros(2, 1)), torch.tensor([[0.0], [float("inf")]]))
    with pytest.raises(ValueError, match="rows"):
        mdn_nll(model(torch.zeros(2, 1)), torch.zeros(3, 1))


@pytest.mark.parametrize("field, value", [("components", 0), ("hidden", ()), ("min_sigma", 0.0),
                                          ("activation", "sigmoid"), ("in_features", 0)])
def test_bad_configs_raise_a_value_error_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        MDNConfig(**{field: value})


def test_mdn_is_healthy():
    g = torch.Generator().manual_seed(0)
    t, x = torch.randn(32, 1, generator=g), torch.randn(32, 1, generator=g)
    assert_healthy(tiny_model(), t, lambda model, inputs: mdn_nll(model(inputs), x))


def test_mean_regressor_is_healthy():
    g = torch.Generator().manual_seed(0)
    t, x = torch.randn(32, 1, generator=g), torch.randn(32, 1, generator=g)
    torch.manual_seed(0)
    model = MeanRegressor(TINY)
    assert_healthy(model, t, lambda m, inputs: (m(inputs) - x).pow(2).mean(), output_shape=(32, 1))


def test_checkpoint_round_trip_keeps_the_density_and_the_standardisation(tmp_path):
    model = tiny_model()
    model.standardization.fit(torch.randn(20, 1) * 3 + 1, torch.randn(20, 1) + 5)
    path = save_checkpoint(model, tmp_path / "mdn.pt")
    loaded = load_checkpoint(path, MixtureDensityNetwork, config=TINY)
    t, x = torch.randn(7, 1), torch.randn(7, 1) + 5
    torch.testing.assert_close(loaded(t).log_prob(x), model.eval()(t).log_prob(x))
    with pytest.raises(ValueError, match="components"):
        load_checkpoint(path, MixtureDensityNetwork, config=MDNConfig(hidden=(8,), components=4))


def test_nll_gradients_are_bishops_responsibility_formulas() -> None:
    """dE/dmu_k = gamma_k (mu_k - x) / sigma_k^2, dE/dlogit_k = pi_k - gamma_k,
    dE/dsigma_k = gamma_k / sigma_k (1 - (x - mu_k)^2 / sigma_k^2): the theory page's equations."""
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 3, generator=g).requires_grad_()
    loc = torch.randn(4, 3, 1, generator=g).requires_grad_()
    scale = (0.5 + torch.rand(4, 3, 1, generator=g)).requires_grad_()
    x = torch.randn(4, 1, generator=g)
    mixture = gaussian_mixture(logits, loc, scale)
    (-mixture.log_prob(x)).sum().backward()
    with torch.no_grad():
        pi = logits.softmax(-1)
        weighted = pi * torch.distributions.Normal(loc, scale).log_prob(x[:, None]).exp()[..., 0]
        gamma = weighted / weighted.sum(-1, keepdim=True)
        mu, sigma, target = loc[..., 0], scale[..., 0], x
        torch.testing.assert_close(loc.grad[..., 0], gamma * (mu - target) / sigma**2)
        torch.testing.assert_close(logits.grad, pi - gamma)
        torch.testing.assert_close(scale.grad[..., 0],
                                   gamma / sigma * (1 - (target - mu) ** 2 / sigma**2))
