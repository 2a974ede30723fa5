"""The MDN's and inverse transform sampling's figures, as functions that return a Figure.

No training happens here; ``fig.savefig(...)`` writes a figure, a notebook just displays it.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.distributions import Distribution

from dlpapers.mdn.model import mode


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


def empirical_resample(samples: torch.Tensor, resampled: torch.Tensor, name: str = "") -> Figure:
    """A data sample against new values drawn from its empirical quantile function."""
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    bins = np.linspace(float(samples.min()), float(samples.max()), 50)
    ax.hist(samples.flatten().numpy(), bins=bins, density=True, alpha=0.5, color="tab:gray",
            label="data")
    ax.hist(resampled.flatten().numpy(), bins=bins, density=True, alpha=0.5, color="tab:blue",
            label="empirical F⁻¹(U)")
    ax.set(title=f"Resampling {name} through its empirical quantile function", xlabel="value",
           ylabel="density")
    ax.legend(fontsize=8)
    return fig


def _mdn_grid(t: torch.Tensor, points: int = 200) -> torch.Tensor:
    return torch.linspace(float(t.min()), float(t.max()), points)[:, None]


def baselines(
    t: torch.Tensor, x: torch.Tensor, mse_model: nn.Module, gaussian_model: nn.Module | None = None
) -> Figure:
    """The inverse problem with the least-squares fit (and a single Gaussian's mean ± 2σ).

    Args:
        t: Inputs, ``(n, 1)``.
        x: Targets, ``(n, 1)``.
        mse_model: ``t: (b, 1) -> (b, 1)``, the conditional-mean regressor.
        gaussian_model: An MDN with one component, or ``None`` to draw the MSE fit alone.
    """
    grid = _mdn_grid(t)
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.scatter(t[:, 0], x[:, 0], s=3, color="tab:gray", alpha=0.5, label="data")
    with torch.no_grad():
        ax.plot(grid[:, 0], mse_model(grid)[:, 0], color="tab:red", lw=2,
                label="MSE fit = E[x | t]")
        if gaussian_model is not None:
            single = gaussian_model(grid)
            mu, sigma = single.mean[:, 0], single.stddev[:, 0]
            ax.plot(grid[:, 0], mu, color="tab:blue", lw=1.5, label="single Gaussian mean")
            ax.fill_between(grid[:, 0], mu - 2 * sigma, mu + 2 * sigma, color="tab:blue",
                            alpha=0.15, label="± 2σ")
    ax.set(xlabel="t (input)", ylabel="x (target)", title="One answer per input is not enough")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def density_slices(model, t: torch.Tensor, x: torch.Tensor, at: tuple[float, ...],
                   width: float = 0.03) -> Figure:
    """The MDN's ``p(x | t)`` at a few inputs: the mixture, its weighted components, and a
    histogram of the training targets whose input lies within ``width`` of that ``t``."""
    xs = torch.linspace(float(x.min()) - 0.1, float(x.max()) + 0.1, 400)
    with torch.no_grad():
        mixture = model(torch.tensor(at)[:, None])
        normal = mixture.component_distribution.base_dist
        components = normal.log_prob(xs[:, None, None, None]).exp()[..., 0]  # (400, m, k)
        parts = mixture.mixture_distribution.probs * components
        total = mixture.log_prob(xs[:, None, None]).exp()  # (400, m)
    fig, axes = plt.subplots(1, len(at), figsize=(3.6 * len(at), 3), layout="constrained",
                             squeeze=False)
    for j, ax in enumerate(axes[0]):
        near = x[(t[:, 0] - at[j]).abs() < width, 0]
        ax.hist(near.numpy(), bins=np.linspace(float(xs[0]), float(xs[-1]), 40), density=True,
                color="tab:gray", alpha=0.4, label=f"data, |t - {at[j]}| < {width}")
        ax.plot(xs, parts[:, j], color="tab:blue", lw=0.8, ls="--")
        ax.plot(xs, total[:, j], color="tab:orange", lw=2, label="MDN p(x | t)")
        ax.set(title=f"t = {at[j]}", xlabel="x (target)")
    axes[0, 0].set_ylabel("density")
    axes[0, 0].legend(fontsize=7, loc="upper left")
    return fig


def mixture_fit(
    samples: torch.Tensor,
    weights: np.ndarray | torch.Tensor,
    means: np.ndarray | torch.Tensor,
    stds: np.ndarray | torch.Tensor,
) -> Figure:
    """1-D data and a fitted Gaussian mixture: the mixture density and its weighted components.

    Args:
        samples: ``(n,)`` data.
        weights: ``(k,)`` mixture weights, e.g. a fitted scikit-learn ``GaussianMixture``'s
            ``weights_``.
        means: ``(k,)`` component means (its ``means_``).
        stds: ``(k,)`` standard deviations (square roots of its ``covariances_``).
    """
    weights, means, stds = (torch.as_tensor(np.ravel(a), dtype=torch.float32)
                            for a in (weights, means, stds))
    xs = torch.linspace(float(samples.min()) - 1, float(samples.max()) + 1, 400)
    parts = weights * torch.distributions.Normal(means, stds).log_prob(xs[:, None]).exp()
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.hist(samples.numpy(), bins=50, density=True, color="tab:gray", alpha=0.4, label="data")
    for k in range(len(weights)):
        ax.plot(xs, parts[:, k], ls="--", lw=1, label=f"π{k} N(μ{k}, σ{k}²)")
    ax.plot(xs, parts.sum(1), color="tab:orange", lw=2, label="mixture p(x)")
    ax.set(xlabel="x", ylabel="density", title="A Gaussian mixture fit to bimodal data")
    ax.legend(fontsize=7)
    return fig


def density(model, t: torch.Tensor, x: torch.Tensor, points: int = 200) -> Figure:
    """The predicted conditional density ``p(x | t)`` as a heat map, the data drawn thinly on top,
    and the approximate mode (:func:`dlpapers.mdn.mode`) as a line of dots."""
    grid_t = _mdn_grid(t, points)
    xs = torch.linspace(float(x.min()) - 0.1, float(x.max()) + 0.1, points)
    with torch.no_grad():
        mixture = model(grid_t)
        density = mixture.log_prob(xs[:, None, None]).exp()  # (x, t)
        best = mode(mixture)[:, 0]
    fig, ax = plt.subplots(figsize=(6.5, 4), layout="constrained")
    image = ax.pcolormesh(grid_t[:, 0], xs, density, cmap="viridis", shading="auto",
                          vmax=float(density.quantile(0.99)))
    fig.colorbar(image, ax=ax, label="p(x | t)")
    ax.scatter(t[:, 0], x[:, 0], s=1, color="white", alpha=0.35)
    ax.plot(grid_t[:, 0], best, ".", ms=2.5, color="tab:orange", label="approximate mode")
    ax.set(xlabel="t (input)", ylabel="x (target)", title="MDN conditional density")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def weights(model, t: torch.Tensor, points: int = 200) -> Figure:
    """Mixture weights ``pi_k(t)`` against ``t``, stacked (they sum to one at every ``t``)."""
    grid = _mdn_grid(t, points)
    with torch.no_grad():
        weights = model(grid).mixture_distribution.probs  # (b, k)
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.stackplot(grid[:, 0], weights.T, labels=[f"π{k}" for k in range(weights.shape[1])],
                 colors=plt.cm.tab10(np.arange(weights.shape[1]) % 10))
    ax.set(xlabel="t (input)", ylabel="mixture weight", ylim=(0, 1), xlim=(grid[0, 0], grid[-1, 0]),
           title="Which component explains which input")
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5), fontsize=7)
    return fig


def samples(model, t: torch.Tensor, x: torch.Tensor, seed: int = 0) -> Figure:
    """One sample of ``x ~ p(x | t)`` per data input ``t``, drawn over the data themselves."""
    torch.manual_seed(seed)
    with torch.no_grad():
        samples = model(t).sample()
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    ax.scatter(t[:, 0], x[:, 0], s=3, color="tab:gray", alpha=0.5, label="data")
    ax.scatter(t[:, 0], samples[:, 0], s=3, color="tab:orange", alpha=0.6, label="MDN samples")
    ax.set(xlabel="t (input)", ylabel="x (target)", title="Samples from the predicted mixture")
    ax.legend(loc="upper left", fontsize=8)
    return fig


def training(history, oracle: float | None = None) -> Figure:
    """Training NLL per epoch and the test NLL where it was measured, with the oracle as a floor."""
    fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    ax.plot(history["epoch"], history["loss"], color="tab:blue", label="train NLL (with noise)")
    tested = [r for r in history.records if "test_nll" in r]
    ax.plot([r["epoch"] for r in tested], [r["test_nll"] for r in tested], color="tab:green",
            label="test NLL")
    if oracle is not None:
        ax.axhline(oracle, color="black", ls="--", lw=1, label="oracle NLL")
    ax.set(xlabel="epoch", ylabel="NLL (nats)", title="MDN training",
           ylim=(oracle - 0.1 if oracle is not None else None, 0.5))
    ax.legend(fontsize=8)
    return fig


def slices(mixture: Distribution, at: torch.Tensor, inverse: torch.Tensor,
               library: torch.Tensor) -> Figure:
    """Samples of ``p(x | t)`` at a few ``t``: by inverse transform and by ``mixture.sample()``.

    Args:
        mixture: 1-D mixture with batch ``(m,)`` (:func:`dlpapers.mdn.marginal` of an MDN output).
        at: The ``m`` inputs, ``(m, 1)``.
        inverse: ``(n, m)`` samples ``F⁻¹(U)`` by bisection.
        library: ``(n, m)`` samples from ``mixture.sample((n,))``.
    """
    m = at.shape[0]
    fig, axes = plt.subplots(1, m, figsize=(4 * m, 3.2), layout="constrained", squeeze=False)
    xs = torch.linspace(float(inverse.min()) - 0.1, float(inverse.max()) + 0.1, 400)
    density = mixture.log_prob(xs[:, None].to(mixture.mean.dtype)).exp()  # (400, m)
    for j, ax in enumerate(axes[0]):
        bins = np.linspace(float(xs[0]), float(xs[-1]), 60)
        ax.hist(inverse[:, j].numpy(), bins=bins, density=True, alpha=0.5, color="tab:blue",
                label="F⁻¹(U), bisection")
        ax.hist(library[:, j].numpy(), bins=bins, density=True, alpha=0.5, color="tab:orange",
                label="mixture.sample()")
        ax.plot(xs, density[:, j], color="black", lw=1.2, label="p(x | t)")
        ax.set(title=f"t = {float(at[j, 0]):.2f}", xlabel="x")
    axes[0, 0].legend(fontsize=7)
    return fig
