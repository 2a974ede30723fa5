"""Numbers that say how well a model did.

Plain functions of tensors: they know nothing of training or plotting.
"""

from __future__ import annotations

import torch

from dlpapers.mdn import marginal
from dlpapers.sampling import pit


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
