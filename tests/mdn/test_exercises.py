"""The MDN exercises: realistic wrong answers fail with the hint that names their mistake."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Categorical, Exponential, Independent, MixtureSameFamily, Normal

from dlpapers import exercises
from dlpapers.mdn import exercises as mdn_exercises
from dlpapers.mdn.model import gaussian_mixture


def test_the_nll_reference_is_the_library_mixture_s():
    logits, mu, t = torch.randn(5, 3), torch.randn(5, 3), torch.randn(5)
    sigma = torch.rand(5, 3) + 0.2
    mixture = MixtureSameFamily(Categorical(logits=logits), Normal(mu, sigma))
    torch.testing.assert_close(mdn_exercises.mdn_nll(logits, mu, sigma, t),
                               -mixture.log_prob(t).mean())


def test_the_icdf_reference_is_pytorch_s():
    u = torch.rand(100, dtype=torch.float64)
    torch.testing.assert_close(mdn_exercises.exponential_icdf(u, 0.7),
                               Exponential(torch.tensor(0.7, dtype=torch.float64)).icdf(u))


def naive(logit_pi, mu, sigma, t):
    pi = torch.softmax(logit_pi, dim=1)
    density = torch.exp(-0.5 * ((t[:, None] - mu) / sigma) ** 2) / (sigma * (2 * torch.pi) ** 0.5)
    return -torch.log((pi * density).sum(dim=1)).mean()


def raw_logits(logit_pi, mu, sigma, t):
    log_n = Normal(mu, sigma).log_prob(t[:, None])
    return -torch.logsumexp(logit_pi + log_n, dim=1).mean()


def summed(logit_pi, mu, sigma, t):
    log_n = Normal(mu, sigma).log_prob(t.unsqueeze(1))
    return -torch.logsumexp(torch.log_softmax(logit_pi, 1) + log_n, 1).sum()


def variance(logit_pi, mu, sigma, t):
    log_n = Normal(mu, torch.sqrt(sigma)).log_prob(t.unsqueeze(1))
    return -torch.logsumexp(torch.log_softmax(logit_pi, 1) + log_n, 1).mean()


@pytest.mark.parametrize("answer, hint", [
    (naive, "the naive log(sum(pi * N))"),
    (raw_logits, "raw logits used as the weights"),
    (summed, "the sum over the batch, not the mean"),
    (variance, "sigma used as a variance"),
])
def test_wrong_nll_answers_are_named(answer, hint):
    report = exercises.run("mdn-nll", answer)
    assert not report.passed and hint in str(report)


def test_the_naive_nll_is_right_near_the_means_and_infinite_far_away():
    report = exercises.run("mdn-nll", naive)
    (near, _), *_, (far, text) = report.lines
    assert near and not far
    assert "got inf" in text


def decreasing(u, rate):
    return -torch.log(u) / rate


def as_scale(u, rate):
    return -torch.log(1 - u) * rate


def the_cdf(u, rate):
    return 1 - torch.exp(-rate * u)


@pytest.mark.parametrize("answer, hint", [
    (decreasing, "the decreasing -log(u)/rate. It is a valid *sampler*"),
    (as_scale, "rate confused with scale"),
    (the_cdf, "the CDF instead of its inverse"),
])
def test_wrong_quantile_functions_are_named(answer, hint):
    report = exercises.run("inverse-transform", answer)
    assert not report.passed and hint in str(report)


def test_the_decreasing_sampler_passes_the_ks_test_but_not_the_quantile_checks():
    lines = exercises.run("inverse-transform", decreasing).lines
    ks = [ok for ok, text in lines if "KS test" in text]
    assert ks == [True]
    assert not lines[0][0]


def exp_scales(outputs, k):
    logits, loc, log_scale = outputs.split(k, dim=1)
    return MixtureSameFamily(Categorical(logits=logits), Normal(loc, log_scale.exp()))


def interleaved(outputs, k):
    params = outputs.reshape(outputs.shape[0], k, 3)
    logits, loc, raw = params[..., 0], params[..., 1], params[..., 2]
    return MixtureSameFamily(Categorical(logits=logits), Normal(loc, F.softplus(raw)))


def softmax_as_logits(outputs, k):
    logits, loc, raw = torch.chunk(outputs, 3, dim=-1)
    pi = torch.softmax(logits, dim=-1)
    return MixtureSameFamily(Categorical(logits=pi), Normal(loc, F.softplus(raw)))


def independent(outputs, k):
    logits, loc, raw = outputs.split(k, dim=-1)
    normal = Independent(Normal(loc.unsqueeze(-1), F.softplus(raw).unsqueeze(-1)), 1)
    return MixtureSameFamily(Categorical(logits=logits), normal)


@pytest.mark.parametrize("answer, hint", [
    (exp_scales, "exp for the scales"),
    (interleaved, "the outputs read as (b, k, 3)"),
    (softmax_as_logits, "probabilities passed as logits"),
    (independent, "batch shape (8,) and scalar events, got MixtureSameFamily with batch shape (8,) "
                  "and event shape (1,)"),
])
def test_wrong_mixture_heads_are_named(answer, hint):
    report = exercises.run("mdn-head", answer)
    assert not report.passed and hint in str(report)


def test_the_head_reference_matches_the_package_s_mixture():
    outputs, t = torch.randn(5, 9), torch.randn(5)
    logits, loc, raw = outputs.split(3, dim=-1)
    package = gaussian_mixture(logits, loc.unsqueeze(-1), F.softplus(raw).unsqueeze(-1))
    torch.testing.assert_close(mdn_exercises.mixture_from_outputs(outputs, 3).log_prob(t),
                               package.log_prob(t.unsqueeze(-1)))
