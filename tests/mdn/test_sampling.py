"""Specification of inverse transform sampling and the probability integral transform."""

from __future__ import annotations

import json
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.distributions import Categorical, Exponential, MixtureSameFamily, Normal

from dlpapers import metrics
from dlpapers.mdn import sampling

N = 20_000


def two_modes() -> MixtureSameFamily:
    f64 = torch.float64
    return MixtureSameFamily(Categorical(probs=torch.tensor([0.3, 0.7], dtype=f64)),
                             Normal(torch.tensor([-2.0, 1.5], dtype=f64),
                                    torch.tensor([0.5, 0.8], dtype=f64)))


def test_uniform_is_seeded_and_inside_the_unit_interval():
    u = sampling.uniform(1000, seed=3)
    assert torch.equal(u, sampling.uniform(1000, seed=3))
    assert 0 <= u.min() and u.max() < 1 and u.dtype == torch.float64


def test_inverse_transform_of_exponential_matches_its_moments_and_ks():
    exponential = Exponential(torch.tensor(1.5, dtype=torch.float64))
    x = sampling.inverse_transform_sample(exponential, N, seed=0)
    mean, std = 1 / 1.5, 1 / 1.5
    assert x.mean().item() == pytest.approx(mean, abs=5 * std / math.sqrt(N))
    assert metrics.ks_uniform(exponential.cdf(x)) < metrics.ks_critical_value(N)


def test_bisection_of_a_mixture_matches_its_moments():
    mixture = two_modes()
    x = sampling.inverse_transform_sample(mixture, N, seed=1)
    std = mixture.stddev.item()
    assert x.mean().item() == pytest.approx(mixture.mean.item(), abs=5 * std / math.sqrt(N))
    assert x.std().item() == pytest.approx(std, rel=0.05)


@settings(max_examples=50, deadline=None)
@given(u=st.floats(1e-6, 1 - 1e-6))
def test_bisection_inverts_the_cdf(u):
    mixture = two_modes()
    x = sampling.bisect_icdf(mixture, torch.tensor([u], dtype=torch.float64))
    assert mixture.cdf(x).item() == pytest.approx(u, abs=1e-9)


def test_pit_of_exact_samples_is_uniform():
    mixture = two_modes()
    torch.manual_seed(0)
    values = sampling.pit(mixture, mixture.sample((N,)))
    assert metrics.ks_uniform(values) < metrics.ks_critical_value(N)


def test_pit_of_samples_from_another_distribution_is_not_uniform():
    torch.manual_seed(0)
    wrong = Normal(torch.tensor(0.5, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))
    values = sampling.pit(two_modes(), wrong.sample((N,)))
    assert metrics.ks_uniform(values) > 5 * metrics.ks_critical_value(N)


@pytest.mark.parametrize("u", [0.0, 1.0, -0.2, 1.5])
def test_bisection_rejects_u_outside_the_open_unit_interval(u):
    with pytest.raises(ValueError, match="between 0 and 1"):
        sampling.bisect_icdf(two_modes(), torch.tensor([0.5, u], dtype=torch.float64))


def test_uniform_rejects_a_bad_count():
    with pytest.raises(ValueError, match="positive int"):
        sampling.uniform(0)


def test_empirical_quantile_interpolates_the_sorted_sample():
    data = torch.tensor([3.0, 1.0, 2.0, 5.0])  # sorted: 1 2 3 5 at u = 0, 1/3, 2/3, 1
    u = torch.tensor([0.0, 1 / 6, 2 / 3, 5 / 6, 1.0])
    torch.testing.assert_close(sampling.empirical_quantile(data, u),
                               torch.tensor([1.0, 1.5, 3.0, 4.0, 5.0]))


def test_empirical_quantile_resamples_the_data_distribution():
    torch.manual_seed(0)
    exponential = Exponential(torch.tensor(2.0, dtype=torch.float64))
    data = exponential.sample((N,))
    x = sampling.empirical_quantile(data, sampling.uniform(N, seed=5))
    # two samples of (nearly) one distribution: KS to the true CDF within twice the critical value
    assert metrics.ks_uniform(exponential.cdf(x)) < 2 * metrics.ks_critical_value(N)
    assert data.min() <= x.min() and x.max() <= data.max()


@pytest.mark.parametrize("samples, u, match", [
    (torch.tensor([1.0]), torch.tensor([0.5]), "two finite"),
    (torch.tensor([1.0, float("nan")]), torch.tensor([0.5]), "two finite"),
    (torch.tensor([1.0, 2.0]), torch.tensor([1.5]), r"\[0, 1\]"),
])
def test_empirical_quantile_rejects_bad_input(samples, u, match):
    with pytest.raises(ValueError, match=match):
        sampling.empirical_quantile(samples, u)


def test_the_demo_targets_are_the_package_distributions_as_json():
    targets = json.loads(json.dumps(sampling.demo_targets()))
    exponential, mixture = sampling.exponential(), sampling.two_mode_mixture()
    assert targets["exponential"]["rate"] == exponential.rate.item()
    assert targets["exponential"]["mean"] == pytest.approx(exponential.mean.item(), rel=1e-15)
    assert targets["mixture"]["weights"] == mixture.mixture_distribution.probs.tolist()
    assert targets["mixture"]["means"] == mixture.component_distribution.loc.tolist()
    assert targets["mixture"]["stds"] == mixture.component_distribution.scale.tolist()
    assert targets["mixture"]["mean"] == pytest.approx(mixture.mean.item(), rel=1e-15)


def test_the_default_mixture_is_the_two_mode_mixture_of_these_tests():
    u = sampling.uniform(500, seed=2)
    reference = sampling.quantile(two_modes(), u)
    assert torch.equal(sampling.quantile(sampling.two_mode_mixture(), u), reference)


def test_the_exponential_quantile_is_minus_log_of_one_minus_u_over_the_rate():
    u = sampling.uniform(100, seed=4)
    x = sampling.quantile(sampling.exponential(2.5), u)
    torch.testing.assert_close(x, -torch.log1p(-u) / 2.5)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"weights": (0.5, 0.5), "means": (0.0,), "stds": (1.0, 1.0)}, "same length"),
    ({"weights": (0.6, 0.6)}, "sum to 1"),
    ({"weights": (1.2, -0.2)}, "positive"),
    ({"stds": (0.5, 0.0)}, "stds must be positive"),
])
def test_two_mode_mixture_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sampling.two_mode_mixture(**kwargs)


def test_exponential_rejects_a_rate_that_is_not_positive():
    with pytest.raises(ValueError, match="rate must be positive"):
        sampling.exponential(0.0)
