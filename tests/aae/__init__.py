"""Shared small models and inputs for the aae tests."""

from __future__ import annotations

import torch

from dlpapers.aae import AAEConfig, AdversarialAutoencoder

TINY = AAEConfig(input_shape=(1, 8, 8), latent_dim=2, hidden=(16, 8), disc_hidden=(8,))


RING = AAEConfig(hidden=(16, 8), disc_hidden=(8,), prior="ring")


SUPERVISED = AAEConfig(hidden=(16, 8), disc_hidden=(8,), prior="ring", supervised=True)


def build(config: AAEConfig = TINY, seed: int = 0) -> AdversarialAutoencoder:
    torch.manual_seed(seed)
    return AdversarialAutoencoder(config)


def images(b: int = 6, seed: int = 1) -> torch.Tensor:
    return torch.rand(b, 1, 8, 8, generator=torch.Generator().manual_seed(seed))


def optimizers(model: AdversarialAutoencoder) -> dict[str, torch.optim.Optimizer]:
    sgd = torch.optim.SGD
    return {
        "reconstruction": sgd([*model.encoder.parameters(), *model.decoder.parameters()], lr=0.1),
        "discriminator": sgd(model.discriminator.parameters(), lr=0.1),
        "generator": sgd(model.encoder.parameters(), lr=0.1),
    }


def changed_parts(model: AdversarialAutoencoder, phase) -> set[str]:
    """Which of encoder / decoder / discriminator had a parameter change during ``phase()``."""
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    phase()
    return {
        name.split(".")[0]
        for name, p in model.named_parameters()
        if not torch.equal(before[name], p.detach())
    }
