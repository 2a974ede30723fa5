"""The AAE demo's decoder in ONNX decodes as PyTorch does; the export writes the latent plane."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime
import torch

from dlpapers.aae import AAEConfig, AdversarialAutoencoder
from dlpapers.aae.export import export, export_model


def test_onnx_decoder_matches_pytorch_on_codes_across_the_plane(tmp_path):
    torch.manual_seed(0)
    model = AdversarialAutoencoder(AAEConfig()).eval()
    session = onnxruntime.InferenceSession(str(export_model(model, tmp_path / "aae.onnx")))
    grid = torch.linspace(-4, 4, 9)
    codes = torch.cartesian_prod(grid, grid)  # (81, 2)
    (images,) = session.run(["images"], {"codes": codes.numpy()})
    want = model.decode(codes).detach().flatten(1).numpy()
    assert images.shape == (81, 64)
    assert np.abs(images - want).max() <= 1e-4


def test_export_writes_the_decoder_and_the_test_codes_with_labels_and_prior_draws(tmp_path):
    paths = export(tmp_path, epochs=1)
    assert sorted(p.name for p in paths) == ["aae-decoder.onnx", "aae-latent.json"]
    latent = json.loads((tmp_path / "aae-latent.json").read_text())
    assert np.array(latent["codes"]).shape == (450, 2)
    assert sorted(set(latent["labels"])) == list(range(10)) and len(latent["labels"]) == 450
    prior = np.array(latent["prior"])
    assert prior.shape == (500, 2) and abs(prior.mean()) < 0.2 and 0.8 < prior.std() < 1.2
    codes = np.abs(np.array(latent["codes"]))
    assert latent["extent"] >= 3 and np.mean(codes <= latent["extent"]) > 0.95
