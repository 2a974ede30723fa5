"""Specification of the adversarial autoencoder: shapes, priors, inputs, checkpoints."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlpapers import metrics
from dlpapers.aae import AAEConfig, AdversarialAutoencoder
from dlpapers.aae.experiment import (
    aae_step,
)
from dlpapers.train import load_checkpoint, save_checkpoint
from tests.aae import RING, SUPERVISED, TINY, build, images, optimizers
from tests.health import assert_healthy


@settings(max_examples=10, deadline=None)
@given(b=st.integers(1, 9), latent_dim=st.integers(1, 5))
def test_shapes_of_encode_decode_forward_and_discriminate(b: int, latent_dim: int) -> None:
    model = build(AAEConfig(latent_dim=latent_dim, hidden=(16,), disc_hidden=(8,))).eval()
    x = images(b)
    z = model.encode(x)
    assert z.shape == (b, latent_dim)
    assert model.decode(z).shape == (b, 1, 8, 8)
    assert model(x).shape == (b, 1, 8, 8)
    assert model.discriminate(z).shape == (b,)
    assert model.sample(b, generator=torch.Generator().manual_seed(0)).shape == (b, 1, 8, 8)


def test_reconstructions_and_samples_are_pixels_in_unit_interval() -> None:
    model = build()
    out = torch.cat([model(images()), model.sample(5)])
    assert out.min() >= 0 and out.max() <= 1


def test_gaussian_prior_samples_have_zero_mean_and_identity_covariance() -> None:
    model = build(AAEConfig(latent_dim=3, hidden=(8,), disc_hidden=(8,)))
    z = model.sample_prior(20_000, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(z.mean(0), torch.zeros(3), atol=0.03)
    assert torch.allclose(torch.cov(z.T), torch.eye(3), atol=0.05)
    assert torch.equal(model.prior().mean, torch.zeros(3))


def test_ring_prior_samples_are_centred_and_lie_on_the_ring() -> None:
    model = build(RING)
    z = model.sample_prior(20_000, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(z.mean(0), torch.zeros(2), atol=0.1)
    radius = z.norm(dim=1).mean()
    assert abs(radius - RING.ring_radius) < 3 * RING.ring_std
    # the hand-written seeded sampler draws the same law as the torch.distributions prior
    assert abs(metrics.mmd2(z[:1000], model.prior().sample((1000,)))) < 0.01


def test_supervised_prior_samples_sit_in_their_labels_component() -> None:
    model = build(SUPERVISED)
    labels = torch.arange(10).repeat(500)
    z = model.sample_prior(len(labels), labels=labels, generator=torch.Generator().manual_seed(0))
    for label in range(10):
        own = z[labels == label]
        assert torch.allclose(own.mean(0), model.ring_means[label], atol=0.1)
        assert abs(own.std(0).mean() - SUPERVISED.ring_std) < 0.05


def test_checkpoint_round_trips_to_the_same_codes(tmp_path) -> None:
    model = build(RING).eval()
    path = save_checkpoint(model, tmp_path / "aae.pt")
    loaded = load_checkpoint(path, AdversarialAutoencoder, RING)
    x = images()
    assert torch.equal(loaded.encode(x), model.encode(x))
    assert torch.equal(loaded.ring_means, model.ring_means)


def test_checkpoint_with_another_config_is_refused(tmp_path) -> None:
    path = save_checkpoint(build(RING), tmp_path / "aae.pt")
    with pytest.raises(ValueError, match="prior"):
        load_checkpoint(path, AdversarialAutoencoder, TINY)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prior": "ring", "latent_dim": 3}, "latent_dim=2"),
        ({"prior": "laplace"}, "prior must be one of"),
        ({"supervised": True}, "prior='ring'"),
        ({"input_shape": (8, 8)}, "input_shape"),
        ({"hidden": ()}, "hidden"),
        ({"dropout": 1.0}, "dropout"),
        ({"latent_dim": 0}, "latent_dim"),
    ],
)
def test_bad_config_raises_a_clear_error(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AAEConfig(**kwargs)


def test_bad_inputs_raise_a_clear_error() -> None:
    model = build()
    with pytest.raises(ValueError, match="expected images"):
        model.encode(torch.rand(2, 1, 28, 28))
    with pytest.raises(ValueError, match="NaN"):
        model(torch.full((2, 1, 8, 8), float("nan")))
    with pytest.raises(ValueError, match="expected codes"):
        model.decode(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="labels"):
        build(SUPERVISED).discriminate(torch.zeros(2, 2))
    with pytest.raises(ValueError, match="optimizers"):
        aae_step(model, {"reconstruction": optimizers(model)["reconstruction"]})


def test_autoencoder_path_is_healthy() -> None:
    model = build()
    frozen = tuple(n for n, _ in model.named_parameters() if n.startswith("discriminator"))
    assert_healthy(model, images(), lambda m, x: F.mse_loss(m(x), x), (6, 1, 8, 8),
                   frozen=frozen)


def test_discriminator_path_is_healthy() -> None:
    model = build(SUPERVISED)
    frozen = tuple(n for n, _ in model.named_parameters() if n.startswith("decoder"))
    labels = torch.arange(6)

    def loss(m: AdversarialAutoencoder, x: torch.Tensor) -> torch.Tensor:
        real = m.discriminate(m.ring_means[labels], labels)
        fake = m.discriminate(m.encoder(x), labels)
        return F.softplus(-real).mean() + F.softplus(fake).mean()

    assert_healthy(model, images(), loss, frozen=frozen)
