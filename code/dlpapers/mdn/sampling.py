"""Inverse transform sampling: a uniform distribution can make any distribution.

The office-hour notes say that the uniform distribution "can make every distribution". Precisely:
if ``F`` is a cumulative distribution function (CDF) and ``U ~ Uniform(0, 1)``, then

    X = F⁻¹(U)   has CDF F,

where ``F⁻¹(u) = inf{x : F(x) ≥ u}`` is the generalised inverse (the quantile function).
The converse is the probability integral transform (PIT): if ``X`` has a continuous CDF ``F``,
then ``F(X) ~ Uniform(0, 1)``. Sampling runs the first direction; calibration checks run the second.

This module works with any :class:`torch.distributions.Distribution` of one-dimensional samples:
it uses the distribution's own ``icdf`` where PyTorch implements one (``Exponential``,
``Normal``, ...) and otherwise inverts its ``cdf`` by bisection (a mixture has no closed-form
quantile function).
"""

from __future__ import annotations

import torch
from torch.distributions import Categorical, Distribution, Exponential, MixtureSameFamily, Normal

#: The two targets that the sampling notebook and the in-browser demo
#: (``docs/assignments/mdn/sampling-demo``) sample from: an exponential with a closed-form quantile
#: function and a two-mode Gaussian mixture without one. The demo reads them from
#: :func:`demo_targets` at build time, so the numbers live here only.
EXPONENTIAL_RATE = 1.5
MIXTURE_WEIGHTS = (0.3, 0.7)
MIXTURE_MEANS = (-2.0, 1.5)
MIXTURE_STDS = (0.5, 0.8)


def uniform(n: int, seed: int = 0) -> torch.Tensor:
    """``n`` seeded draws from ``Uniform(0, 1)`` as a float64 tensor of shape ``(n,)``."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(n, generator=generator, dtype=torch.float64)


def bisect_icdf(
    distribution: Distribution,
    u: torch.Tensor,
    low: float | None = None,
    high: float | None = None,
    iterations: int = 60,
) -> torch.Tensor:
    """Invert ``distribution.cdf`` at ``u`` by bisection.

    The CDF is monotone, so halving a bracket ``[low, high]`` that holds the answer ``iterations``
    times pins it down to ``(high - low) / 2**iterations``.

    Args:
        distribution: Any distribution with a ``cdf`` over scalars.
        u: Probabilities in ``(0, 1)``, any shape.
        low: Left end of the bracket; by default the mean minus 40 standard deviations.
        high: Right end of the bracket; by default the mean plus 40 standard deviations.
        iterations: Halvings of the bracket.

    Returns:
        ``x`` with ``cdf(x) ≈ u``, the shape of ``u``.
    """
    if torch.any((u <= 0) | (u >= 1)):
        raise ValueError("u must lie strictly between 0 and 1")
    if low is None or high is None:
        mean, std = float(distribution.mean), float(distribution.stddev)
        low = mean - 40 * std if low is None else low
        high = mean + 40 * std if high is None else high
    lo = torch.full_like(u, low)
    hi = torch.full_like(u, high)
    for _ in range(iterations):
        mid = (lo + hi) / 2
        below = distribution.cdf(mid.to(distribution.mean.dtype)).to(u.dtype) < u
        lo = torch.where(below, mid, lo)
        hi = torch.where(below, hi, mid)
    return (lo + hi) / 2


def quantile(distribution: Distribution, u: torch.Tensor) -> torch.Tensor:
    """The quantile function ``F⁻¹(u)``: the distribution's ``icdf``, else bisection on its CDF."""
    try:
        return distribution.icdf(u.to(distribution.mean.dtype)).to(u.dtype)
    except NotImplementedError:
        return bisect_icdf(distribution, u)


def inverse_transform_sample(distribution: Distribution, n: int, seed: int = 0) -> torch.Tensor:
    """Draw ``n`` samples of ``distribution`` from uniform numbers alone: ``F⁻¹(U)``.

    Args:
        distribution: A distribution over scalars.
        n: Number of samples.
        seed: Seed of the uniform draws.

    Returns:
        Samples of shape ``(n,)``, float64.
    """
    return quantile(distribution, uniform(n, seed))


def pit(distribution: Distribution, x: torch.Tensor) -> torch.Tensor:
    """The probability integral transform ``F(x)``: ``Uniform(0, 1)`` when ``x ~ distribution``."""
    return distribution.cdf(x.to(distribution.mean.dtype)).to(x.dtype)


def empirical_quantile(samples: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """The quantile function of a data sample, by linear interpolation of its sorted values.

    With only data and no formula, the sorted sample *is* an estimate of ``F⁻¹``: the ``i``-th of
    ``n`` sorted values sits at probability ``i / (n - 1)``, and values in between are
    interpolated. ``empirical_quantile(data, uniform(m))`` then draws ``m`` new values that follow
    the data's distribution (a smoothed bootstrap), never leaving ``[min, max]`` of the sample.

    Args:
        samples: The data, any shape (flattened), at least two finite values.
        u: Probabilities in ``[0, 1]``, any shape.

    Returns:
        Quantiles, the shape of ``u``, in ``samples``'s dtype promoted with ``u``'s.
    """
    values = torch.sort(samples.detach().flatten()).values
    if values.numel() < 2 or not torch.isfinite(values).all():
        raise ValueError("samples must hold at least two finite values")
    if not torch.isfinite(u).all() or torch.any((u < 0) | (u > 1)):
        raise ValueError("u must lie in [0, 1]")
    dtype = torch.promote_types(values.dtype, u.dtype)
    position = u.to(dtype) * (values.numel() - 1)
    below = position.floor().long().clamp(max=values.numel() - 2)
    weight = position - below
    values = values.to(dtype)
    return torch.lerp(values[below], values[below + 1], weight)


def exponential(rate: float = EXPONENTIAL_RATE) -> Exponential:
    """``Exponential(rate)`` in float64: density ``rate * exp(-rate * x)``.

    Its quantile function has a closed form, ``-ln(1 - u) / rate``, which PyTorch's ``icdf`` uses.
    """
    if not rate > 0:
        raise ValueError(f"rate must be positive, got {rate!r}")
    return Exponential(torch.tensor(float(rate), dtype=torch.float64))


def two_mode_mixture(
    weights: tuple[float, ...] = MIXTURE_WEIGHTS,
    means: tuple[float, ...] = MIXTURE_MEANS,
    stds: tuple[float, ...] = MIXTURE_STDS,
) -> MixtureSameFamily:
    """The Gaussian mixture ``sum_k weights[k] * Normal(means[k], stds[k])`` in float64.

    Its CDF ``sum_k weights[k] * Phi((x - means[k]) / stds[k])`` has no closed-form inverse, so
    :func:`quantile` inverts it by bisection.
    """
    if not len(weights) == len(means) == len(stds) >= 1:
        raise ValueError("weights, means and stds must have the same length, at least 1")
    if min(weights) <= 0 or abs(sum(weights) - 1) > 1e-9:
        raise ValueError(f"weights must be positive and sum to 1, got {weights!r}")
    if min(stds) <= 0:
        raise ValueError(f"stds must be positive, got {stds!r}")
    f64 = torch.float64
    return MixtureSameFamily(Categorical(probs=torch.tensor(weights, dtype=f64)),
                             Normal(torch.tensor(means, dtype=f64), torch.tensor(stds, dtype=f64)))


def demo_targets() -> dict[str, dict[str, object]]:
    """The demo's two targets as JSON-ready parameters, with the true mean the page shows."""
    return {
        "exponential": {"rate": EXPONENTIAL_RATE, "mean": float(exponential().mean)},
        "mixture": {
            "weights": list(MIXTURE_WEIGHTS),
            "means": list(MIXTURE_MEANS),
            "stds": list(MIXTURE_STDS),
            "mean": float(two_mode_mixture().mean),
        },
    }
