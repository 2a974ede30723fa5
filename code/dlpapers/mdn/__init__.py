r"""Mixture density network (Bishop, 1994, "Mixture Density Networks").

A least-squares network learns the conditional mean ``E[x | t]``. When several answers fit one
input (an inverse problem), that mean lies *between* the answers. An MDN predicts a whole
conditional density instead: a Gaussian mixture whose parameters are functions of the input,

    p(x | t) = sum_k pi_k(t) N(x; mu_k(t), diag sigma_k(t)^2),

with ``pi = softmax(logits)`` (weights that sum to one) and ``sigma > 0``. (The pages write
Bishop's letters: input ``t``, target ``x``; elsewhere this is ``p(y | x)``.) It is trained by the
negative log-likelihood, computed in log space,

    -log p(x | t) = -logsumexp_k (log pi_k(t) + log N(x; mu_k(t), sigma_k(t)^2)),

never as a product of densities: that underflows to 0, ``log 0`` is ``-inf``, and the backward
pass turns it into NaN (``1/p = inf`` times a zero gradient).

The package implements :class:`MixtureDensityNetwork`, whose ``forward`` returns a
:class:`torch.distributions.MixtureSameFamily` (so ``log_prob``, ``sample``, ``mean`` and the
log-sum-exp come from PyTorch), the loss :func:`mdn_nll`, an approximate mode :func:`mode`, the
1-D marginal :func:`marginal` (whose ``cdf`` PyTorch implements) and the least-squares baseline
:class:`MeanRegressor`. Shapes: ``b`` batch, ``k`` components, ``d`` output features.

What is where: :mod:`dlpapers.mdn.model` (config, network, loss, mode, marginal),
:mod:`dlpapers.mdn.experiment` (the recipe :func:`~dlpapers.mdn.experiment.train_mdn`),
:mod:`dlpapers.mdn.sampling` (inverse transform sampling and the PIT: the office hour put "a
uniform distribution can make any distribution" with this assignment), :mod:`dlpapers.mdn.metrics`
(the oracle NLL of Bishop's data, PIT values of a mixture) and :mod:`dlpapers.mdn.plots`.
"""

from dlpapers.mdn.model import (
    MDNConfig,
    MeanRegressor,
    MixtureDensityNetwork,
    gaussian_mixture,
    marginal,
    mdn_nll,
    mode,
)

__all__ = ["MDNConfig", "MeanRegressor", "MixtureDensityNetwork", "gaussian_mixture", "marginal",
           "mdn_nll", "mode"]
