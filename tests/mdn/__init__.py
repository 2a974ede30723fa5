"""Shared small models and inputs for the mdn tests."""

from __future__ import annotations

import torch

from dlpapers.mdn import MDNConfig, MixtureDensityNetwork

TINY = MDNConfig(hidden=(8,), components=3)


def tiny_model(config: MDNConfig = TINY, seed: int = 0) -> MixtureDensityNetwork:
    torch.manual_seed(seed)
    return MixtureDensityNetwork(config)
