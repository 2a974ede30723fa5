"""The mixture density network's config, modules and loss.

The paper and its equations are explained in :mod:`dlpapers.mdn`; this file is the model alone
(torch and einops only): :class:`MixtureDensityNetwork` returns a
:class:`torch.distributions.MixtureSameFamily`, so ``log_prob``, ``sample`` and the
log-sum-exp come from PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from einops import rearrange
from torch import nn
from torch.distributions import Categorical, Independent, MixtureSameFamily, Normal

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "gelu": nn.GELU}


@dataclass(frozen=True)
class MDNConfig:
    """Shape of a mixture density network.

    Attributes:
        in_features: Size of the input ``t``.
        out_features: Size of the target ``x`` (the mixture's event size ``d``).
        hidden: Widths of the hidden layers of the MLP trunk.
        components: Number of Gaussians ``k`` in the mixture (1 = a heteroscedastic Gaussian).
        min_sigma: Floor under every standard deviation, in standardised target units: without
            it one component can shrink onto a single training point and drive the NLL to -inf.
        activation: ``"tanh"`` (smooth, what Bishop used), ``"relu"`` or ``"gelu"``.
    """

    in_features: int = 1
    out_features: int = 1
    hidden: tuple[int, ...] = (64, 64)
    components: int = 5
    min_sigma: float = 1e-3
    activation: str = "tanh"

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))  # a list from JSON still works
        for name in ("in_features", "out_features", "components"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not self.hidden or min(self.hidden) < 1:
            raise ValueError(f"hidden must list one or more positive widths, got {self.hidden}")
        if not self.min_sigma > 0:
            raise ValueError(f"min_sigma must be positive (a floor), got {self.min_sigma}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}"
            )


def mlp(config: MDNConfig, out: int | None = None) -> nn.Sequential:
    """``in_features -> hidden... [-> out]`` with ``config.activation`` after each hidden layer."""
    widths = (config.in_features, *config.hidden)
    layers: list[nn.Module] = []
    for a, b in zip(widths[:-1], widths[1:], strict=True):
        layers += [nn.Linear(a, b), ACTIVATIONS[config.activation]()]
    if out is not None:
        layers.append(nn.Linear(widths[-1], out))
    return nn.Sequential(*layers)


def check_inputs(t: torch.Tensor, features: int, name: str = "t") -> None:
    """Raise ``ValueError`` unless ``t`` is a finite ``(b, features)`` tensor."""
    if t.ndim != 2 or t.shape[1] != features:
        raise ValueError(f"{name} must have shape (b, {features}), got {tuple(t.shape)}: "
                         "add a feature axis with t.unsqueeze(1) if it is (b,)")
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} holds NaN or inf values: drop or impute them first")


class Standardization(nn.Module):
    """Input and target means and standard deviations, kept as buffers (saved in checkpoints).

    Networks train best on inputs and targets of unit scale; keeping the statistics inside the
    model lets it take raw ``t`` and return a density over raw ``x``.
    """

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.register_buffer("t_mean", torch.zeros(in_features))
        self.register_buffer("t_std", torch.ones(in_features))
        self.register_buffer("x_mean", torch.zeros(out_features))
        self.register_buffer("x_std", torch.ones(out_features))

    @torch.no_grad()
    def fit(self, t: torch.Tensor, x: torch.Tensor) -> None:
        """Set the statistics from training data ``t: (b, in)``, ``x: (b, out)``."""
        for name, value in (("t", t), ("x", x)):
            getattr(self, f"{name}_mean").copy_(value.mean(0))
            getattr(self, f"{name}_std").copy_(value.std(0).clamp_min(1e-8))


def gaussian_mixture(
    logits: torch.Tensor, loc: torch.Tensor, scale: torch.Tensor
) -> MixtureSameFamily:
    """``MixtureSameFamily(Categorical(logits), Independent(Normal(loc, scale), 1))``.

    Args:
        logits: ``(b, k)`` unnormalised log weights (softmax inside ``Categorical``).
        loc: ``(b, k, d)`` component means.
        scale: ``(b, k, d)`` component standard deviations, positive.
    """
    return MixtureSameFamily(
        Categorical(logits=logits, validate_args=False),
        Independent(Normal(loc, scale, validate_args=False), 1, validate_args=False),
        validate_args=False,
    )


class MixtureDensityNetwork(nn.Module):
    """An MLP whose outputs are the parameters of a Gaussian mixture: ``t: (b, in) -> p(x | t)``.

    Bishop (1994) used ``sigma = exp(raw)`` and one sigma per component, shared by the ``d``
    output dimensions; this network has one sigma per component *and* output dimension (a
    diagonal Gaussian; the same count for ``d = 1``) and
    ``scale = min_sigma + softplus(raw)``: softplus is smooth, grows linearly (``exp`` overflows
    for large raw values and its gradient explodes with it) and the floor keeps ``log sigma``
    bounded below, so the NLL cannot run off to -inf. Clamping ``exp`` instead would zero the
    gradient whenever the clamp is active.
    """

    def __init__(self, config: MDNConfig) -> None:
        super().__init__()
        self.config = config
        k, d = config.components, config.out_features
        self.standardization = Standardization(config.in_features, d)
        self.trunk = mlp(config)  # hidden layers only; three heads follow
        self.to_logits = nn.Linear(config.hidden[-1], k)
        self.to_loc = nn.Linear(config.hidden[-1], k * d)
        self.to_scale = nn.Linear(config.hidden[-1], k * d)
        with torch.no_grad():
            # Start with equal weights and the means spread over the (standardised) target
            # range, so that every component begins with data of its own to explain.
            self.to_logits.weight.mul_(0.1)
            self.to_logits.bias.zero_()
            spread = torch.linspace(-1.5, 1.5, k) if k > 1 else torch.zeros(1)
            self.to_loc.bias.copy_(spread.repeat_interleave(d))
            self.to_scale.bias.fill_(-1.0)

    def forward(self, t: torch.Tensor) -> MixtureSameFamily:
        """``t: (b, in_features)`` -> mixture over ``x`` with batch ``(b,)`` and event ``(d,)``."""
        check_inputs(t, self.config.in_features)
        s = self.standardization
        h = self.trunk((t - s.t_mean) / s.t_std)
        d = self.config.out_features
        loc = rearrange(self.to_loc(h), "b (k d) -> b k d", d=d)
        raw = rearrange(self.to_scale(h), "b (k d) -> b k d", d=d)
        scale = self.config.min_sigma + F.softplus(raw)
        return gaussian_mixture(self.to_logits(h), s.x_mean + s.x_std * loc, s.x_std * scale)


class MeanRegressor(nn.Module):
    """The least-squares baseline: the same MLP trained with MSE, ``t: (b, in) -> (b, d)``.

    Minimising ``E[(x - f(t))^2]`` gives ``f(t) = E[x | t]``, the mean of the branches, which on
    multimodal data is a point with little or no probability. ``config.components`` is ignored.
    """

    def __init__(self, config: MDNConfig) -> None:
        super().__init__()
        self.config = config
        self.standardization = Standardization(config.in_features, config.out_features)
        self.net = mlp(config, config.out_features)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        check_inputs(t, self.config.in_features)
        s = self.standardization
        return s.x_mean + s.x_std * self.net((t - s.t_mean) / s.t_std)


def mdn_nll(distribution: MixtureSameFamily, target: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood ``-mean_b log p(x_b | t_b)`` of ``target: (b, d)``, in nats."""
    check_inputs(target, distribution.event_shape[0], name="target")
    if target.shape[0] != distribution.batch_shape[0]:
        raise ValueError(f"target has {target.shape[0]} rows, the distribution "
                         f"{distribution.batch_shape[0]}: pass the targets of the same inputs")
    return -distribution.log_prob(target).mean()


def mode(distribution: MixtureSameFamily) -> torch.Tensor:
    """An approximate mode: of the ``k`` component means, the one with the highest mixture
    density, ``(b, d)``.

    This is the argmax of ``p(x | t)`` over the component means only, an approximation of the
    mode: where components overlap, the mixture's true peak can lie between their means, and no
    search for it is made. (With well-separated components it is close to the true mode.) It is
    not the mean of the heaviest component: a heavy but wide component can have a lower peak than
    a light, narrow one.
    """
    loc = distribution.component_distribution.mean  # (b, k, d)
    log_p = distribution.log_prob(rearrange(loc, "b k d -> k b d"))  # (k, b)
    best = log_p.argmax(0)
    return loc[torch.arange(loc.shape[0]), best]


def marginal(distribution: MixtureSameFamily, feature: int = 0) -> MixtureSameFamily:
    """The 1-D mixture of output ``feature``, with scalar events so its ``cdf`` exists.

    For diagonal Gaussian components, the marginal of one coordinate is the mixture of the
    components' marginals with the same weights. ``Independent`` has no ``cdf``; this does.
    """
    normal = distribution.component_distribution.base_dist
    return MixtureSameFamily(
        distribution.mixture_distribution,
        Normal(normal.loc[..., feature], normal.scale[..., feature], validate_args=False),
        validate_args=False,
    )
