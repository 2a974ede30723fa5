"""Every figure the notebooks show, as functions that return a :class:`matplotlib.figure.Figure`.

Each function takes tensors or finished results (no training happens here) and draws one figure;
``fig.savefig(...)`` writes it, a notebook just displays it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch.distributions import Distribution


def _grid(distribution: Distribution, samples: torch.Tensor, points: int = 400) -> torch.Tensor:
    """Points spanning the samples (plus a margin), inside the distribution's support."""
    low, high = np.quantile(samples.numpy(), [0.001, 0.999])
    pad = 0.1 * (high - low)
    xs = torch.linspace(low - pad, high + pad, points, dtype=torch.float64)
    return xs[distribution.support.check(xs.to(distribution.mean.dtype))]


def inverse_transform(
    distribution: Distribution, u: torch.Tensor, samples: torch.Tensor, name: str = ""
) -> Figure:
    """Uniform draws, the CDF that maps them, and the samples they become.

    Three panels: the histogram of ``u`` (flat); the target CDF with a few ``u`` values traced
    across to their ``x = F⁻¹(u)``; the histogram of the samples against the true density.

    Args:
        distribution: The target distribution (its ``cdf`` and ``log_prob`` are drawn).
        u: The uniform draws, ``(n,)``.
        samples: ``F⁻¹(u)``, ``(n,)``.
        name: Name of the target for the titles.
    """
    xs = _grid(distribution, samples)
    cdf = distribution.cdf(xs.to(distribution.mean.dtype)).double()
    pdf = distribution.log_prob(xs.to(distribution.mean.dtype)).exp().double()
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), layout="constrained")

    axes[0].hist(u.numpy(), bins=40, range=(0, 1), density=True, color="tab:gray")
    axes[0].axhline(1.0, color="black", lw=1)
    axes[0].set(title="U ~ Uniform(0, 1)", xlabel="u", ylabel="density")

    axes[1].plot(xs, cdf, color="tab:blue")
    for level in (0.1, 0.3, 0.5, 0.7, 0.9):
        x = xs[torch.searchsorted(cdf.contiguous(), torch.tensor([level], dtype=cdf.dtype))]
        x = float(x.clamp(xs.min(), xs.max()))
        axes[1].annotate("", xy=(x, 0), xytext=(x, level),
                         arrowprops={"arrowstyle": "->", "color": "tab:orange"})
        axes[1].plot([xs[0], x], [level, level], color="tab:orange", lw=0.8)
    axes[1].set(title=f"F (CDF of {name})", xlabel="x", ylabel="u = F(x)")

    axes[2].hist(samples.numpy(), bins=60, range=(float(xs[0]), float(xs[-1])), density=True,
                 color="tab:blue", alpha=0.6, label="F⁻¹(U)")
    axes[2].plot(xs, pdf, color="black", lw=1.5, label="true density")
    axes[2].set(title=f"X = F⁻¹(U) ~ {name}", xlabel="x")
    axes[2].legend()
    return fig


def pit_histogram(values: torch.Tensor, title: str = "PIT", bins: int = 20) -> Figure:
    """Histogram of probability-integral-transform values: flat if the model is calibrated.

    The band marks where a bin count of a truly uniform sample falls 95% of the time.
    """
    v = values.detach().flatten().numpy()
    n = v.size
    expected = n / bins
    half_band = 1.96 * np.sqrt(expected * (1 - 1 / bins))
    fig, ax = plt.subplots(figsize=(5, 3.2), layout="constrained")
    ax.hist(v, bins=bins, range=(0, 1), color="tab:green", alpha=0.7)
    ax.axhspan(expected - half_band, expected + half_band, color="gray", alpha=0.25,
               label="95% band for uniform")
    ax.axhline(expected, color="black", lw=1)
    ax.set(title=title, xlabel="F(x)", ylabel="count", xlim=(0, 1))
    ax.legend(loc="lower center")
    return fig
