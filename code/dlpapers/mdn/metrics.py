"""Numbers only the MDN assignment uses: the oracle NLL of the data and the PIT of a mixture.

The metrics that several papers use (accuracy, KS, MMD, kNN) are in :mod:`dlpapers.metrics`.
"""

from __future__ import annotations

import torch

from dlpapers.mdn.model import marginal
from dlpapers.mdn.sampling import pit


def oracle_nll(t: torch.Tensor, x: torch.Tensor, grid: int = 1_000_000) -> float:
    """The exact mean conditional NLL ``-mean log p(x | t)`` of the inverted-sinusoid data.

    The data come from :func:`dlpapers.data.inverted_sinusoid`.

    The generating process is known: ``p(x) = U(0, 1)`` and ``p(t | x) = U(g(x) - 0.1, g(x) + 0.1)``
    with ``g(x) = x + 0.3 sin(2 pi x)``. By Bayes, ``p(x | t) ∝ p(x) p(t | x)`` is flat on the set
    ``{x in [0, 1] : |t - g(x)| <= 0.1}`` and zero elsewhere, so ``p(x | t) = 1 / L(t)`` there, with
    ``L(t)`` the length of that set, and ``-log p(x | t) = log L(t)``. ``L(t)`` is integrated
    numerically: the fraction of a fine midpoint grid of ``x`` whose ``g(x)`` lies within 0.1 of
    ``t``, counted for all ``t`` at once by binary search in the sorted ``g`` values.

    No model can beat this number on average: it is the entropy of the true ``p(x | t)``.

    Args:
        t: Inputs, ``(n, 1)`` or ``(n,)``.
        x: Targets, same shape; each must be possible given its ``t`` (else the NLL is infinite).
        grid: Number of grid points on ``[0, 1]``.
    """
    t = t.detach().double().flatten()
    x = x.detach().double().flatten()
    if t.shape != x.shape or t.numel() == 0:
        raise ValueError(
            f"t and x must be non-empty with equal sizes, got {t.numel()} and {x.numel()}"
        )

    def g(v: torch.Tensor) -> torch.Tensor:
        return v + 0.3 * torch.sin(2 * torch.pi * v)

    if torch.any((x < 0) | (x > 1) | ((t - g(x)).abs() > 0.1 + 1e-6)):
        raise ValueError("some (t, x) pairs are impossible under the generating process: "
                         "pass data from dlpapers.data.inverted_sinusoid")
    xs = (torch.arange(grid, dtype=torch.float64) + 0.5) / grid
    gs = torch.sort(g(xs)).values
    inside = torch.searchsorted(gs, t + 0.1, right=True) - torch.searchsorted(gs, t - 0.1)
    length = inside.double() / grid
    return float(length.log().mean())


def pit_values(
    distribution: torch.distributions.Distribution, target: torch.Tensor
) -> torch.Tensor:
    """PIT values ``F(x | t)`` of 1-D targets under a predicted mixture, ``(b,)``.

    Uniform on ``[0, 1]`` when the predicted conditional distributions are right (calibrated);
    test that with :func:`ks_uniform`. ``distribution`` is an MDN's output with ``d = 1``.

    Args:
        distribution: A :class:`~torch.distributions.MixtureSameFamily` over ``(b, 1)`` targets.
        target: ``(b, 1)`` targets.
    """
    if target.ndim != 2 or target.shape[1] != 1 or distribution.event_shape != (1,):
        raise ValueError(
            "pit_values needs 1-D targets of shape (b, 1) and a mixture over them, got target "
            f"{tuple(target.shape)} and event shape {tuple(distribution.event_shape)}"
        )
    return pit(marginal(distribution, 0), target[:, 0])
