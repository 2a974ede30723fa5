"""Numbers that say how well a model did.

Plain functions of tensors: they know nothing of training or plotting.
"""

from __future__ import annotations

import torch


def accuracy(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """Fraction of rows whose largest logit is the target class.

    Args:
        logits: ``(b, classes)`` scores.
        targets: ``(b,)`` class indices.
    """
    if logits.ndim != 2 or targets.shape != logits.shape[:1]:
        raise ValueError(
            f"expected logits (b, classes) and targets (b,), got {tuple(logits.shape)} "
            f"and {tuple(targets.shape)}"
        )
    return (logits.argmax(dim=1) == targets).float().mean().item()


def ks_uniform(values: torch.Tensor) -> float:
    """Kolmogorov–Smirnov distance between the samples ``values`` and ``Uniform(0, 1)``.

    ``sup_u |F_n(u) - u|``: 0 for a perfect match. Under the null hypothesis, the 1% critical
    value is about ``1.63 / sqrt(n)``.
    """
    v = torch.sort(values.detach().flatten().double()).values
    n = v.numel()
    if n == 0:
        raise ValueError("values is empty")
    upper = torch.arange(1, n + 1, dtype=torch.float64) / n - v
    lower = v - torch.arange(0, n, dtype=torch.float64) / n
    return float(torch.maximum(upper, lower).max())


def ks_critical_value(n: int, alpha: float = 0.01) -> float:
    """Asymptotic critical value of the one-sample KS statistic: ``sqrt(-ln(alpha/2) / 2) / sqrt(n)``."""
    return float((-torch.log(torch.tensor(alpha / 2)) / 2).sqrt() / n**0.5)
