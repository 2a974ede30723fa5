"""The ViT recipe: shifted batches, a short seeded run, the command line."""

from __future__ import annotations

import json

import pytest
import torch

from dlpapers import cli
from dlpapers.train import load_checkpoint
from dlpapers.vit import ViT, ViTConfig
from dlpapers.vit.experiment import ShiftedBatches, train_vit
from tests.vit import TINY


def test_shifted_batches_move_images_without_losing_pixels():
    x = torch.zeros(5, 1, 8, 8)
    x[:, :, 3:5, 3:5] = 1.0  # a centred blob survives any 1-pixel shift
    batches = ShiftedBatches(x, torch.arange(5), batch_size=5, max_shift=1, seed=0)
    shifted, labels = next(iter(batches))
    assert shifted.shape == x.shape
    torch.testing.assert_close(shifted.sum(dim=(1, 2, 3)), x.sum(dim=(1, 2, 3)))
    assert set(labels.tolist()) == set(range(5))


def test_short_training_is_deterministic_and_beats_chance():
    config = ViTConfig(**{**TINY, "dim": 32, "heads": 4, "dropout": 0.1})
    runs = [
        train_vit(config, epochs=4, seed=3, device="cpu", progress=False,
                              subset=800, batch_size=16, lr=5e-3, warmup=0.0)
        for _ in range(2)
    ]
    assert runs[0].history.records == runs[1].history.records
    assert runs[0].metrics["test_accuracy"] > 0.5  # chance is 0.1
    assert runs[0].metrics["val_accuracy"] == runs[0].history["val_accuracy"][-1]


def test_the_history_logs_validation_accuracy_and_never_the_test_set():
    run = train_vit(ViTConfig(**TINY), epochs=2, seed=0, device="cpu", progress=False,
                    subset=64, batch_size=32)
    assert len(run.history["val_accuracy"]) == 2
    assert not any(key.startswith("test") for record in run.history.records for key in record)
    split = run.extras["split"]
    assert (len(split.y_train), len(split.y_val), len(split.y_test)) == (1077, 270, 450)


def test_validation_size_must_leave_a_validation_part():
    with pytest.raises(ValueError, match="validation_size"):
        train_vit(ViTConfig(**TINY), epochs=1, validation_size=0.0, progress=False)


def test_cli_writes_loadable_checkpoint_and_metrics(tmp_path):
    assert cli.main(["train", "vit", "--epochs", "1", "--out", str(tmp_path), "--quiet"]) == 0
    model = load_checkpoint(tmp_path / "vit.pt", ViT)
    assert isinstance(model, ViT)
    report = json.loads((tmp_path / "metrics.json").read_text())
    assert 0.0 <= report["metrics"]["test_accuracy"] <= 1.0
    assert report["config"]["patch_size"] == model.config.patch_size
