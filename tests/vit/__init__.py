"""Shared small models and inputs for the vit tests."""

from __future__ import annotations

import torch

from dlpapers.vit import ViT, ViTConfig

TINY = dict(image_size=8, patch_size=2, channels=1, num_classes=10, dim=16, depth=2, heads=2,
            mlp_dim=32, dropout=0.0)


def tiny(**changes) -> ViT:
    torch.manual_seed(0)
    return ViT(ViTConfig(**{**TINY, **changes})).eval()
