"""The MDN's own metrics: the oracle NLL of Bishop's data and the PIT of a mixture."""

from __future__ import annotations

import pytest
import torch

from dlpapers import data
from dlpapers.mdn.metrics import oracle_nll, pit_values


def test_oracle_nll_matches_a_rejection_sampling_estimate() -> None:
    # p(x | t) = 1 / L(t) on the set of x that can produce t; rejection sampling from U(0, 1)
    # accepts with probability exactly L(t), so the acceptance rate estimates L(t).
    t, x = data.inverted_sinusoid(20, seed=3)
    g = torch.Generator().manual_seed(0)
    proposals = torch.rand(200_000, dtype=torch.float64, generator=g)
    curve = proposals + 0.3 * torch.sin(2 * torch.pi * proposals)
    accepted = ((t.double() - curve).abs() <= 0.1).double().mean(1)  # (20,)
    estimate = accepted.log().mean().item()
    assert oracle_nll(t, x) == pytest.approx(estimate, abs=0.01)


def test_oracle_nll_of_the_test_set_is_near_minus_1_28_nats() -> None:
    t, x = data.inverted_sinusoid(10_000, seed=10_000)
    assert -1.32 < oracle_nll(t, x) < -1.24


def test_oracle_nll_rejects_impossible_pairs() -> None:
    with pytest.raises(ValueError, match="impossible"):
        oracle_nll(torch.tensor([[0.5]]), torch.tensor([[0.9]]))


def test_pit_values_of_a_mixture_equal_its_cdf_and_need_1d_targets() -> None:
    from torch.distributions import Categorical, Independent, MixtureSameFamily, Normal

    mixture = MixtureSameFamily(Categorical(logits=torch.zeros(3, 2)),
                                Independent(Normal(torch.zeros(3, 2, 1), torch.ones(3, 2, 1)), 1))
    torch.testing.assert_close(pit_values(mixture, torch.zeros(3, 1)),
                               torch.full((3,), 0.5))
    with pytest.raises(ValueError, match=r"\(b, 1\)"):
        pit_values(mixture, torch.zeros(3))
