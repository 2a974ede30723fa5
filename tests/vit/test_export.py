"""The ViT demo: its ONNX file computes what PyTorch does; the export writes what the page reads."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime
import pytest
import torch

from dlpapers.vit import ViT, ViTConfig, attention_rollout
from dlpapers.vit.export import ViTDemo, export, export_model, sample_digits


@pytest.fixture(scope="module")
def model() -> ViT:
    torch.manual_seed(0)
    return ViT(ViTConfig()).eval()


def test_demo_module_gives_the_models_probabilities_and_class_token_rollout(model):
    images, _ = sample_digits()
    probabilities, rollout = ViTDemo(model)(images)
    torch.testing.assert_close(probabilities, model(images).softmax(dim=-1))
    torch.testing.assert_close(rollout, attention_rollout(model.attention_maps(images))[:, 0, 1:])
    assert rollout.shape == (len(images), 16)


def test_onnx_file_matches_pytorch_on_test_digits_and_random_images(model, tmp_path):
    path = export_model(model, tmp_path / "vit.onnx")
    session = onnxruntime.InferenceSession(str(path))
    digits, _ = sample_digits()
    for images in (digits, torch.rand(7, 1, 8, 8, generator=torch.Generator().manual_seed(1))):
        got = session.run(["probabilities", "rollout"], {"pixels": images.numpy()})
        with torch.no_grad():
            want = ViTDemo(model)(images)
        for g, w in zip(got, want, strict=True):
            assert np.abs(g - w.numpy()).max() <= 1e-4


def test_mean_pooling_has_no_class_token_to_roll_out():
    with pytest.raises(ValueError, match="pool='cls'"):
        ViTDemo(ViT(ViTConfig(pool="mean")))


def test_export_writes_the_model_and_sample_digits_with_pytorchs_probabilities(tmp_path):
    paths = export(tmp_path, epochs=1)
    assert sorted(p.name for p in paths) == ["vit-digits.json", "vit.onnx"]
    digits = json.loads((tmp_path / "vit-digits.json").read_text())
    counts = np.array(digits["counts"], dtype=np.float32)
    assert counts.shape == (20, 64) and counts.min() >= 0 and counts.max() <= 16
    assert sorted(set(digits["labels"])) == list(range(10))
    session = onnxruntime.InferenceSession(str(tmp_path / "vit.onnx"))
    probabilities, _ = session.run(None, {"pixels": (counts / 16).reshape(20, 1, 8, 8)})
    assert np.abs(probabilities - np.array(digits["probabilities"])).max() <= 1e-4
