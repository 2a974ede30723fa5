"""The MDN's exercises: the mixture's negative log-likelihood; a quantile function to sample with.

``mdn-nll`` is checked against :func:`dlpapers.mdn.model.mdn_nll` on the package's own mixture
(:func:`~dlpapers.mdn.model.gaussian_mixture`); ``inverse-transform`` against the closed form,
PyTorch's ``Exponential.icdf`` (what :func:`dlpapers.mdn.sampling.quantile` uses) and a KS test of
the samples. The references between the ``--8<--`` markers are the solutions the page shows.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor
from torch.distributions import Categorical, Distribution, Exponential, MixtureSameFamily, Normal

from dlpapers import metrics
from dlpapers.exercises import Checker, Exercise, Mistake
from dlpapers.mdn import model, sampling


# --8<-- [start:nll]
def mdn_nll(logit_pi: Tensor, mu: Tensor, sigma: Tensor, t: Tensor) -> Tensor:
    """Mean NLL of ``t: (b,)`` under mixtures ``(b, k)``: ``-mean log Σ_k π_k N(t; μ_k, σ_k)``."""
    log_pi = logit_pi.log_softmax(dim=-1)  # log π_k, normalised over the k components
    log_n = Normal(mu, sigma).log_prob(t.unsqueeze(-1))  # (b, k): log N(t; μ_k, σ_k)
    return -torch.logsumexp(log_pi + log_n, dim=-1).mean()  # log Σ exp, computed stably
# --8<-- [end:nll]


# --8<-- [start:head]
def mixture_from_outputs(outputs: Tensor, k: int) -> MixtureSameFamily:
    """A network's last layer ``(b, 3k)`` -> 1-D Gaussian mixtures with batch shape ``(b,)``.

    The outputs are ``[logits | means | raw scales]``, ``k`` each; softplus makes scales positive.
    """
    logits, loc, raw = outputs.split(k, dim=-1)  # (b, k) each
    return MixtureSameFamily(Categorical(logits=logits), Normal(loc, F.softplus(raw)))
# --8<-- [end:head]


# --8<-- [start:icdf]
def exponential_icdf(u: Tensor, rate: float) -> Tensor:
    """The quantile function of Exponential(rate): solve ``u = 1 - exp(-rate x)`` for ``x``."""
    return -torch.log1p(-u) / rate
# --8<-- [end:icdf]


def _package_nll(logit_pi: Tensor, mu: Tensor, sigma: Tensor, t: Tensor) -> Tensor:
    """The same number from the package: its ``MixtureSameFamily`` and its ``mdn_nll``."""
    mixture = model.gaussian_mixture(logit_pi, mu.unsqueeze(-1), sigma.unsqueeze(-1))
    return model.mdn_nll(mixture, t.unsqueeze(-1))


def _nll_mistakes() -> tuple[Mistake, ...]:
    def normal(mu, sigma, t):
        return Normal(mu, sigma).log_prob(t.unsqueeze(-1))

    def weighted(weights):
        return lambda lp, m, s, t: -(weights(lp) * normal(m, s, t).exp()).sum(-1).log().mean()

    def log_space(log_w, reduce=torch.mean):
        return lambda lp, m, s, t: -reduce(torch.logsumexp(log_w(lp) + normal(m, s, t), dim=-1))

    return (
        Mistake("the naive log(sum(pi * N))", "Far from every mean each density underflows to "
                "0 and log(0) = -inf. Stay in log space: logsumexp(log_softmax(logits) + "
                "Normal(mu, sigma).log_prob(t)).", weighted(lambda lp: lp.softmax(-1))),
        Mistake("raw logits used as the weights", "The logits are not probabilities: normalise "
                "them with log_softmax over the components (dim=-1) before adding the log "
                "densities.", log_space(lambda lp: lp)),
        Mistake("raw logits used as probabilities", "Turn the logits into weights that sum to 1 "
                "first: pi = softmax(logits, dim=-1), or better log_softmax in log space.",
                weighted(lambda lp: lp)),
        Mistake("the softmax runs over the batch", "Normalise over the k components of each "
                "mixture, `dim=-1`, not over the examples, `dim=0`.",
                log_space(lambda lp: lp.log_softmax(0))),
        Mistake("the sum over the batch, not the mean", "Return the *mean* NLL over the b "
                "targets, so the loss does not grow with the batch size.",
                log_space(lambda lp: lp.log_softmax(-1), reduce=torch.sum)),
        Mistake("the log-likelihood, not its negative", "Put a minus sign in front: a loss to "
                "minimise is -log p.", lambda lp, m, s, t: -log_space(lambda x: x.log_softmax(-1))(
                    lp, m, s, t)),
        Mistake("sigma used as a variance", "sigma is the standard deviation: Normal(mu, sigma), "
                "not Normal(mu, sigma.sqrt()).", lambda lp, m, s, t: -torch.logsumexp(
                    lp.log_softmax(-1) + Normal(m, s.sqrt()).log_prob(t.unsqueeze(-1)), -1).mean()),
    )


def _check_nll(t: Checker) -> None:
    g = torch.Generator().manual_seed(4)
    b, k = 64, 3
    logits, mu = torch.randn(b, k, generator=g), torch.randn(b, k, generator=g) * 2
    sigma, target = 0.3 + torch.rand(b, k, generator=g), torch.randn(b, generator=g) * 2
    cases = (
        ("64 targets, 3 components: the mean NLL of the mixtures", (logits, mu, sigma, target)),
        ("weights from logits far from normalised (logits + 5, sharper)",
         (3 * logits + 5, mu, sigma, target)),
        ("targets far from every mean (t = ±40): finite, as log-sum-exp keeps it",
         (logits[:4], mu[:4], sigma[:4] * 0.5, torch.tensor([40.0, -40.0, 40.0, -40.0]))),
    )
    for what, args in cases:
        t.compare(what, t.call(what, *args), _package_nll(*args), args, rtol=1e-4, atol=1e-4)


def _head_mistakes() -> tuple[Mistake, ...]:
    def head(split, scale=F.softplus, weights=lambda logits: logits):
        def wrong(outputs, k):
            logits, loc, raw = split(outputs, k)
            return MixtureSameFamily(Categorical(logits=weights(logits)), Normal(loc, scale(raw)))
        return wrong

    def in_order(outputs, k):
        return outputs.split(k, dim=-1)

    return (
        Mistake("exp for the scales", "The task asks for softplus: exp overflows (exp(100) = inf "
                "in float32) and its gradient explodes with it.", head(in_order, scale=torch.exp)),
        Mistake("the outputs split in another order", "The layer's outputs are [logits | means | "
                "raw scales], k each, in that order.",
                head(lambda o, k: (lambda a, b, c: (b, a, c))(*o.split(k, dim=-1)))),
        Mistake("the outputs read as (b, k, 3)", "The k logits come first, then the k means, then "
                "the k scales: `outputs.split(k, dim=-1)`, not a view as (b, k, 3).",
                head(lambda o, k: o.view(len(o), k, 3).unbind(-1))),
        Mistake("probabilities passed as logits", "Categorical(logits=...) takes the raw logits; "
                "softmax first and the weights come out too flat.",
                head(in_order, weights=lambda logits: logits.softmax(-1))),
    )


def _check_head(t: Checker) -> None:
    g = torch.Generator().manual_seed(6)
    for what, outputs, target in (
        ("8 rows of 3k outputs, k = 4: log_prob of targets as the package's mixture",
         torch.randn(8, 12, generator=g) * 2, torch.randn(8, generator=g) * 2),
        ("raw scales of 100 (very wide components): still finite and right",
         torch.cat([torch.randn(3, 8, generator=g), torch.full((3, 4), 100.0)], dim=1),
         torch.randn(3, generator=g) * 50),
    ):
        k = outputs.shape[1] // 3
        dist = t.call(what, outputs, k)
        if not isinstance(dist, Distribution) or dist.batch_shape != (len(outputs),) or \
                dist.event_shape != ():
            t.expect(what, False, [f"expected a MixtureSameFamily with batch shape "
                                   f"({len(outputs)},) and scalar events, got {_describe(dist)}"])
            continue
        logits, loc, raw = outputs.split(k, dim=-1)
        package = model.gaussian_mixture(logits, loc.unsqueeze(-1), F.softplus(raw).unsqueeze(-1))
        expected, got = package.log_prob(target.unsqueeze(-1)), dist.log_prob(target).detach()
        ok = bool(torch.isclose(got, expected, rtol=1e-4, atol=1e-4).all())
        nan = int(got.isnan().sum())
        t.expect(what, ok, [f"log_prob differs by up to {(got - expected).abs().max():.3g}"
                            + (f", NaN at {nan} of {got.numel()}" if nan else ""),
                            *t.hint(dist, (outputs, k))])
    what = "dist.sample((1000,)) draws 1000 values for each of the 8 rows"
    dist = t.call(what, torch.randn(8, 12, generator=g), 4)
    if not isinstance(dist, Distribution):
        t.expect(what, False, [f"expected a distribution, got {_describe(dist)}"])
    elif t.tensor(what, dist.sample((1000,)), (1000, 8)):
        t.expect(what, True)


def _describe(value) -> str:
    if isinstance(value, Distribution):
        return (f"{type(value).__name__} with batch shape {tuple(value.batch_shape)} and event "
                f"shape {tuple(value.event_shape)}")
    return type(value).__name__


def _icdf_mistakes() -> tuple[Mistake, ...]:
    return (
        Mistake("the decreasing -log(u)/rate", "It is a valid *sampler* (1 - U is uniform too), "
                "but not the quantile function: F⁻¹ must increase with u. Solve u = F(x) = "
                "1 - exp(-rate x): x = -log(1 - u) / rate.", lambda u, r: -torch.log(u) / r),
        Mistake("rate confused with scale", "Exponential(rate) has mean 1/rate: divide by the "
                "rate, do not multiply.", lambda u, r: -torch.log1p(-u) * r),
        Mistake("the sign is missing", "log(1 - u) is negative for u in (0, 1): x = -log(1 - u) "
                "/ rate.", lambda u, r: torch.log1p(-u) / r),
        Mistake("the rate is ignored", "Divide by the rate: x = -log(1 - u) / rate.",
                lambda u, r: -torch.log1p(-u)),
        Mistake("the CDF instead of its inverse", "1 - exp(-rate u) is F(u); the quantile "
                "function solves u = F(x) for x.", lambda u, r: 1 - torch.exp(-r * u)),
    )


def _check_icdf(t: Checker) -> None:
    u = torch.linspace(0.001, 0.999, 101, dtype=torch.float64)
    for rate in (1.5, 0.25):
        what = f"rate {rate}: equals Exponential({rate}).icdf(u) on a grid of u in (0, 1)"
        expected = Exponential(torch.tensor(rate, dtype=torch.float64)).icdf(u)
        t.compare(what, t.call(what, u, rate), expected, (u, rate), rtol=1e-6)
    what = "increasing in u, as a quantile function is"
    x = t.call(what, u, 2.0)
    if t.tensor(what, x, u.shape):
        steps = x.detach().diff()
        t.expect(what, bool((steps > 0).all()), [
            f"x goes down at {int((steps <= 0).sum())} of {steps.numel()} steps of u",
            *t.hint(x, (u, 2.0))])
    samples_u = sampling.uniform(20_000, seed=5)
    what = "20,000 samples x = F⁻¹(U) of Exponential(2) pass a KS test"
    x = t.call(what, samples_u, 2.0)
    if t.tensor(what, x, samples_u.shape):
        exponential = Exponential(torch.tensor(2.0, dtype=torch.float64))
        pit = sampling.pit(exponential, x.detach().double().clamp_min(0))
        ks, critical = metrics.ks_uniform(pit), metrics.ks_critical_value(len(pit))
        t.expect(what, math.isfinite(ks) and ks < critical, [
            f"KS distance {ks:.4f} to the exponential's CDF, above the 1% critical value "
            f"{critical:.4f}: the samples do not follow Exponential(2)"])


EXERCISES = (
    Exercise(
        id="mdn-nll", paper="mdn", function="mdn_nll",
        signature="mdn_nll(logit_pi: Tensor, mu: Tensor, sigma: Tensor, t: Tensor) -> Tensor",
        task="The mean negative log-likelihood of 1-D targets under Gaussian mixtures:\n"
             "-mean_b log sum_k pi_k N(t_b; mu_bk, sigma_bk), pi = softmax(logit_pi).\n"
             "logit_pi, mu, sigma: (b, k); t: (b,) -> a scalar tensor.\n"
             "It must stay finite for targets far from every mean (work in log space).",
        concept="mixture likelihood in log space (log-sum-exp)", difficulty=2,
        reference=mdn_nll, checks=_check_nll, mistakes=_nll_mistakes(),
    ),
    Exercise(
        id="mdn-head", paper="mdn", function="mixture_from_outputs",
        signature="mixture_from_outputs(outputs: Tensor, k: int) -> MixtureSameFamily",
        task="Turn a network's last layer into the distribution an MDN predicts.\n"
             "outputs: (b, 3k) = [logits | means | raw scales], k of each, in that order.\n"
             "Return MixtureSameFamily(Categorical(logits), Normal(means, softplus(raw))):\n"
             "batch shape (b,), scalar events. Checked by behaviour (log_prob, sample).",
        concept="an MDN head as a torch.distributions object", difficulty=2,
        reference=mixture_from_outputs, checks=_check_head, mistakes=_head_mistakes(),
        imports="import torch\nimport torch.nn.functional as F\nfrom torch import Tensor\n"
                "from torch.distributions import Categorical, MixtureSameFamily, Normal\n",
    ),
    Exercise(
        id="inverse-transform", paper="mdn", function="exponential_icdf",
        signature="exponential_icdf(u: Tensor, rate: float) -> Tensor",
        task="The quantile function F⁻¹ of Exponential(rate), whose CDF is\n"
             "F(x) = 1 - exp(-rate x) for x >= 0. u: any shape, values in (0, 1).\n"
             "Then F⁻¹(U) with U ~ Uniform(0, 1) samples the distribution.",
        concept="inverse transform sampling", difficulty=1,
        reference=exponential_icdf, checks=_check_icdf, mistakes=_icdf_mistakes(),
    ),
)
