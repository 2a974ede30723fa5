"""The AAE's exercise: the two losses of the adversarial regularization, from logits.

The reference is what the two steps of the paper's regularization phase,
:func:`dlpapers.aae.experiment.discriminator_step` and
:func:`~dlpapers.aae.experiment.generator_step`, compute; :mod:`dlpapers.exercises` runs the
checks. The reference between the ``--8<--`` markers is the solution the exercise page shows.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from dlpapers.exercises import Checker, Exercise, Mistake


# --8<-- [start:losses]
def regularization_losses(d_real: Tensor, d_fake: Tensor) -> tuple[Tensor, Tensor]:
    """Discriminator logits on prior samples and on codes -> (discriminator loss, generator loss).

    BCE with logits: prior samples are real (1), codes fake (0); the generator (the encoder)
    wants its codes called real, ``-log D(E(x))`` (the non-saturating loss).
    """
    bce = F.binary_cross_entropy_with_logits
    d_loss = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
    g_loss = bce(d_fake, torch.ones_like(d_fake))
    return d_loss, g_loss
# --8<-- [end:losses]


def _mistakes() -> tuple[Mistake, ...]:
    softplus = F.softplus  # -log sigmoid(x) = softplus(-x), -log(1 - sigmoid(x)) = softplus(x)

    def sigmoid_then_log(r, f):
        d_r, d_f = torch.sigmoid(r), torch.sigmoid(f)
        return -(d_r.log().mean() + (1 - d_f).log().mean()), -d_f.log().mean()

    def sigmoid_then_bce(r, f):
        d_r, d_f = torch.sigmoid(r), torch.sigmoid(f)
        bce = F.binary_cross_entropy
        return (bce(d_r, torch.ones_like(d_r)) + bce(d_f, torch.zeros_like(d_f)),
                bce(d_f, torch.ones_like(d_f)))

    return (
        Mistake("real and fake labels swapped", "Samples of the prior are the real ones (label "
                "1), the encoder's codes the fake ones (label 0).",
                lambda r, f: (softplus(r).mean() + softplus(-f).mean(), softplus(f).mean())),
        Mistake("the saturating generator loss", "Minimising log(1 - D(E(x))) gives almost no "
                "gradient while D wins; minimise -log D(E(x)) instead: BCE of the fake logits "
                "with label 1.", lambda r, f: (softplus(-r).mean() + softplus(f).mean(),
                                               -softplus(f).mean())),
        Mistake("sigmoid, then a log that overflows", "sigmoid(±100) rounds to exactly 0 or 1 "
                "and log(0) = -inf: give the logits to F.binary_cross_entropy_with_logits, which "
                "computes log sigmoid stably.", sigmoid_then_log),
        Mistake("sigmoid, then F.binary_cross_entropy", "BCE on probabilities clamps log(0) to "
                "-100, so large logits give wrong losses (and no gradient): use "
                "F.binary_cross_entropy_with_logits on the logits.", sigmoid_then_bce),
        Mistake("the two discriminator terms averaged", "The discriminator loss is the *sum* "
                "of the real and the fake term (each a mean over its batch).",
                lambda r, f: ((softplus(-r).mean() + softplus(f).mean()) / 2, softplus(-f).mean())),
    )


def _check(t: Checker) -> None:
    g = torch.Generator().manual_seed(3)
    cases = (
        ("logits of 16 prior samples and 16 codes, shape (16, 1)",
         torch.randn(16, 1, generator=g) * 2, torch.randn(16, 1, generator=g) * 2),
        ("a confident discriminator (real +4, fake -4)",
         torch.full((8, 1), 4.0), torch.full((8, 1), -4.0)),
        ("logits of ±100 and ±200: both losses finite and right",
         torch.tensor([[100.0], [-100.0], [200.0]]), torch.tensor([[-100.0], [100.0], [-200.0]])),
    )
    for what, d_real, d_fake in cases:
        got = t.call(what, d_real, d_fake)
        if not (isinstance(got, tuple | list) and len(got) == 2):
            t.expect(what, False, [f"expected a tuple (d_loss, g_loss), got {type(got).__name__}"])
            continue
        expected = regularization_losses(d_real, d_fake)
        hint = t.hint(tuple(got), (d_real, d_fake))
        for name, mine, right in zip(("discriminator", "generator"), got, expected, strict=True):
            if not isinstance(mine, torch.Tensor) or mine.numel() != 1:
                t.expect(what, False, [f"the {name} loss should be a scalar tensor, got "
                                       f"{getattr(mine, 'shape', type(mine).__name__)}"])
                break
            if not torch.isclose(mine.detach().double().reshape(()), right.double(), rtol=1e-4,
                                 atol=1e-5):
                t.expect(what, False, [f"{name} loss: expected {right.item():.6g}, got "
                                       f"{mine.detach().reshape(()).item():.6g}", *hint])
                break
        else:
            t.expect(what, True)
    d_real = torch.randn(8, 1, generator=g, requires_grad=True)
    d_fake = torch.randn(8, 1, generator=g, requires_grad=True)
    what = "the generator loss gives the fake logits the reference's gradient"
    got = t.call(what, d_real, d_fake)
    try:
        (grad,) = torch.autograd.grad(got[1], d_fake)
    except Exception as error:  # not differentiable, wrong type, detached...
        t.expect(what, False, [f"no gradient from your generator loss: {error}"])
        return
    (right,) = torch.autograd.grad(regularization_losses(d_real, d_fake)[1], d_fake)
    t.compare(what, grad, right, (d_real, d_fake))


EXERCISES = (
    Exercise(
        id="aae-losses", paper="aae", function="regularization_losses",
        signature="regularization_losses(d_real: Tensor, d_fake: Tensor) -> tuple[Tensor, Tensor]",
        task="The adversarial losses of the AAE, from the discriminator's logits.\n"
             "d_real: logits on samples of the prior, d_fake: logits on the encoder's codes.\n"
             "Return (d_loss, g_loss): d_loss = BCE(d_real, 1) + BCE(d_fake, 0) (each a mean),\n"
             "g_loss = BCE(d_fake, 1), the non-saturating generator loss.\n"
             "Work with logits: finite and right even at logits of ±100 and beyond.",
        concept="GAN losses on a latent code, numerically stable", difficulty=2,
        reference=regularization_losses, checks=_check, mistakes=_mistakes(),
    ),
)
