"""Specification of the metrics: each number means what its docstring says."""

from __future__ import annotations

import pytest
import torch

from dlpapers import data, metrics


def test_mmd2_is_near_zero_for_two_samples_of_one_distribution() -> None:
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(500, 2, generator=g), torch.randn(800, 2, generator=g)
    assert abs(metrics.mmd2(x, y)) < 0.01


def test_mmd2_is_large_for_a_shifted_distribution_and_grows_with_the_shift() -> None:
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(500, 2, generator=g), torch.randn(500, 2, generator=g)
    small, large = metrics.mmd2(x, y + 0.5), metrics.mmd2(x, y + 2.0)
    assert 0.05 < small < large


def test_mmd2_is_symmetric_in_its_two_samples() -> None:
    g = torch.Generator().manual_seed(1)
    x, y = torch.randn(300, 3, generator=g), 2 * torch.randn(300, 3, generator=g)
    assert metrics.mmd2(x, y) == pytest.approx(metrics.mmd2(y, x))


def test_mmd2_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError, match="expected x"):
        metrics.mmd2(torch.zeros(5, 2), torch.zeros(5, 3))


def test_knn_accuracy_is_perfect_on_separated_clusters_and_chance_on_noise() -> None:
    g = torch.Generator().manual_seed(0)
    labels = torch.arange(4).repeat(50)
    centres = torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]])
    codes = centres[labels] + 0.1 * torch.randn(len(labels), 2, generator=g)
    assert metrics.knn_accuracy(codes, labels, codes, labels) == 1.0
    noise = torch.randn(len(labels), 2, generator=g)
    assert metrics.knn_accuracy(noise, labels, torch.randn(200, 2, generator=g), labels) < 0.45


def test_oracle_nll_matches_a_rejection_sampling_estimate() -> None:
    # p(x | t) = 1 / L(t) on the set of x that can produce t; rejection sampling from U(0, 1)
    # accepts with probability exactly L(t), so the acceptance rate estimates L(t).
    t, x = data.inverted_sinusoid(20, seed=3)
    g = torch.Generator().manual_seed(0)
    proposals = torch.rand(200_000, dtype=torch.float64, generator=g)
    curve = proposals + 0.3 * torch.sin(2 * torch.pi * proposals)
    accepted = ((t.double() - curve).abs() <= 0.1).double().mean(1)  # (20,)
    estimate = accepted.log().mean().item()
    assert metrics.oracle_nll(t, x) == pytest.approx(estimate, abs=0.01)


def test_oracle_nll_of_the_test_set_is_near_minus_1_28_nats() -> None:
    t, x = data.inverted_sinusoid(10_000, seed=10_000)
    assert -1.32 < metrics.oracle_nll(t, x) < -1.24


def test_oracle_nll_rejects_impossible_pairs() -> None:
    with pytest.raises(ValueError, match="impossible"):
        metrics.oracle_nll(torch.tensor([[0.5]]), torch.tensor([[0.9]]))


def test_pit_values_of_a_mixture_equal_its_cdf_and_need_1d_targets() -> None:
    from torch.distributions import Categorical, Independent, MixtureSameFamily, Normal

    mixture = MixtureSameFamily(Categorical(logits=torch.zeros(3, 2)),
                                Independent(Normal(torch.zeros(3, 2, 1), torch.ones(3, 2, 1)), 1))
    torch.testing.assert_close(metrics.pit_values(mixture, torch.zeros(3, 1)),
                               torch.full((3,), 0.5))
    with pytest.raises(ValueError, match=r"\(b, 1\)"):
        metrics.pit_values(mixture, torch.zeros(3))
