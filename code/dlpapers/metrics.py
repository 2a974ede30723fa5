"""Numbers that say how well a model did.

Plain functions of tensors: they know nothing of training or plotting.
"""

from __future__ import annotations

import torch

from dlpapers._moved import forwarder


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
    """Asymptotic critical value of the one-sample KS statistic.

    ``sqrt(-ln(alpha / 2) / 2) / sqrt(n)``: about ``1.63 / sqrt(n)`` for ``alpha = 0.01``.
    """
    return float((-torch.log(torch.tensor(alpha / 2)) / 2).sqrt() / n**0.5)


def mmd2(x: torch.Tensor, y: torch.Tensor, bandwidth: float = 1.0) -> float:
    r"""Unbiased squared maximum mean discrepancy (MMD²) between samples ``x`` and ``y``.

    With the RBF kernel $k(a, b) = \exp(-\lVert a - b \rVert^2 / (2\sigma^2))$,
    $\mathrm{MMD}^2 = \mathbb E[k(x, x')] + \mathbb E[k(y, y')] - 2\,\mathbb E[k(x, y)]$,
    estimated without the diagonal terms (Gretton et al., 2012), so it is about 0 (and may dip
    below) for two samples of the same distribution. The bandwidth $\sigma$ is fixed (1 by
    default, in the units of the prior $N(0, I)$) rather than a median heuristic, so that two
    models' codes are measured with the same ruler.

    Args:
        x: ``(n, d)`` samples, e.g. held-out latent codes.
        y: ``(m, d)`` samples, e.g. prior draws.
        bandwidth: Kernel width $\sigma$.
    """
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(f"expected x (n, d) and y (m, d), got {tuple(x.shape)}, {tuple(y.shape)}")
    if len(x) < 2 or len(y) < 2 or bandwidth <= 0:
        raise ValueError("need at least 2 samples on each side and a positive bandwidth")
    x, y = x.detach().double(), y.detach().double()

    def mean_kernel(a: torch.Tensor, b: torch.Tensor, same: bool) -> torch.Tensor:
        k = torch.exp(-torch.cdist(a, b).square() / (2 * bandwidth**2))
        if same:
            return (k.sum() - k.diagonal().sum()) / (len(a) * (len(a) - 1))
        return k.mean()

    return float(mean_kernel(x, x, True) + mean_kernel(y, y, True) - 2 * mean_kernel(x, y, False))


def knn_accuracy(
    train_codes: torch.Tensor,
    train_labels: torch.Tensor,
    test_codes: torch.Tensor,
    test_labels: torch.Tensor,
    k: int = 5,
) -> float:
    """Test accuracy of a k-nearest-neighbour classifier fit on ``(train_codes, train_labels)``.

    A label-free way to ask whether codes keep the classes apart: if neighbours in the latent
    space share a digit, the encoder has learned something about digits without seeing labels.

    Args:
        train_codes: ``(n, d)``.
        train_labels: ``(n,)``.
        test_codes: ``(m, d)``.
        test_labels: ``(m,)``.
        k: Number of neighbours (scikit-learn's ``KNeighborsClassifier``).
    """
    from sklearn.neighbors import KNeighborsClassifier

    if train_codes.ndim != 2 or test_codes.ndim != 2 or len(train_codes) != len(train_labels):
        raise ValueError("expected codes (n, d) with labels (n,) for both train and test")
    classifier = KNeighborsClassifier(n_neighbors=k).fit(train_codes.detach().cpu().numpy(),
                                                         train_labels.cpu().numpy())
    predicted = classifier.predict(test_codes.detach().cpu().numpy())
    return float((predicted == test_labels.cpu().numpy()).mean())


# Until 0.3: the MDN-only metrics moved to dlpapers.mdn.metrics.
__getattr__ = forwarder(__name__, {name: f"dlpapers.mdn.metrics:{name}"
                                   for name in ("oracle_nll", "pit_values")})
