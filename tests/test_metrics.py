"""Specification of the shared metrics: each number means what its docstring says."""

from __future__ import annotations

import pytest
import torch

from dlpapers import metrics


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
