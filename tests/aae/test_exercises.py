"""The AAE exercise: realistic wrong losses fail with the hint that names their mistake."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from dlpapers import exercises
from dlpapers.aae import exercises as aae_exercises
from dlpapers.aae.experiment import discriminator_step, generator_step

from . import build


def test_the_reference_is_what_the_training_phases_minimise():
    model, x = build().eval(), torch.rand(6, 1, 8, 8)  # eval: no dropout, same codes twice
    torch.manual_seed(0)
    with torch.no_grad():
        fake = model.encoder(x)
        d_real, d_fake = model.discriminate(model.sample_prior(len(x))), model.discriminate(fake)
    d_loss, g_loss = aae_exercises.regularization_losses(d_real, d_fake)
    torch.manual_seed(0)  # the same prior samples inside the step
    sgd = torch.optim.SGD(model.parameters(), lr=0.0)
    assert discriminator_step(model, sgd, x) == pytest.approx(d_loss.item(), rel=1e-5)
    assert generator_step(model, sgd, x) == pytest.approx(g_loss.item(), rel=1e-5)


def swapped(d_real, d_fake):
    bce = F.binary_cross_entropy_with_logits
    d_loss = bce(d_real, torch.zeros_like(d_real)) + bce(d_fake, torch.ones_like(d_fake))
    return d_loss, bce(d_fake, torch.zeros_like(d_fake))


def saturating(d_real, d_fake):
    bce = F.binary_cross_entropy_with_logits
    d_loss = bce(d_real, torch.ones_like(d_real)) + bce(d_fake, torch.zeros_like(d_fake))
    return d_loss, -bce(d_fake, torch.zeros_like(d_fake))


def sigmoid_then_log(d_real, d_fake):
    p_real, p_fake = torch.sigmoid(d_real), torch.sigmoid(d_fake)
    d_loss = -torch.mean(torch.log(p_real)) - torch.mean(torch.log(1 - p_fake))
    return d_loss, -torch.mean(torch.log(p_fake))


def sigmoid_then_bce(d_real, d_fake):
    p_real, p_fake = d_real.sigmoid(), d_fake.sigmoid()
    d_loss = F.binary_cross_entropy(p_real, torch.ones_like(p_real)) + \
        F.binary_cross_entropy(p_fake, torch.zeros_like(p_fake))
    return d_loss, F.binary_cross_entropy(p_fake, torch.ones_like(p_fake))


@pytest.mark.parametrize("answer, hint", [
    (swapped, "real and fake labels swapped"),
    (saturating, "the saturating generator loss"),
    (sigmoid_then_log, "sigmoid, then a log that overflows"),
    (sigmoid_then_bce, "sigmoid, then F.binary_cross_entropy"),
])
def test_wrong_losses_are_named(answer, hint):
    report = exercises.run("aae-losses", answer)
    assert not report.passed and hint in str(report)


def test_sigmoid_then_log_is_caught_at_large_logits_only():
    report = exercises.run("aae-losses", sigmoid_then_log)
    first, *_, extreme, _ = report.lines
    assert first[0] and not extreme[0]
    assert "±100" in extreme[1]


def test_one_loss_instead_of_two_is_a_clear_line():
    report = str(exercises.run("aae-losses", lambda d_real, d_fake: d_real.mean()))
    assert "expected a tuple (d_loss, g_loss), got Tensor" in report
