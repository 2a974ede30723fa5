"""The AAE's training: what each phase moves, the step, seeded runs, the command line."""

from __future__ import annotations

import json
import math

import torch

from dlpapers.aae import AdversarialAutoencoder
from dlpapers.aae.experiment import (
    aae_step,
    discriminator_step,
    generator_step,
    reconstruction_phase,
    regularization_phase,
    train_aae,
)
from dlpapers.cli import main
from dlpapers.train import load_checkpoint
from tests.aae import SUPERVISED, TINY, build, changed_parts, images, optimizers


def test_reconstruction_phase_updates_encoder_and_decoder_only() -> None:
    model, x = build(), images()
    opts = optimizers(model)
    parts = changed_parts(model, lambda: reconstruction_phase(model, opts["reconstruction"], x))
    assert parts == {"encoder", "decoder"}


def test_discriminator_step_updates_discriminator_only() -> None:
    model, x = build(), images()
    opts = optimizers(model)
    parts = changed_parts(model, lambda: discriminator_step(model, opts["discriminator"], x))
    assert parts == {"discriminator"}


def test_generator_step_updates_encoder_only() -> None:
    model, x = build(), images()
    opts = optimizers(model)
    parts = changed_parts(model, lambda: generator_step(model, opts["generator"], x))
    assert parts == {"encoder"}


def test_regularization_phase_runs_the_discriminator_then_the_generator_step() -> None:
    model, x = build(), images()
    logs = {}
    parts = changed_parts(model, lambda: logs.update(regularization_phase(model, optimizers(model),
                                                                          x)))
    assert parts == {"discriminator", "encoder"}
    assert set(logs) == {"discriminator", "generator"}


def test_plain_autoencoder_step_never_touches_the_discriminator() -> None:
    model, x = build(), images()
    step = aae_step(model, {"reconstruction": optimizers(model)["reconstruction"]}, False)
    logs = {}
    parts = changed_parts(model, lambda: logs.update(step((x,))))
    assert parts == {"encoder", "decoder"}
    assert set(logs) == {"reconstruction"}


def test_adversarial_step_logs_the_three_losses() -> None:
    model = build(SUPERVISED)
    logs = aae_step(model, optimizers(model))((images(), torch.arange(6)))
    assert set(logs) == {"reconstruction", "discriminator", "generator"}
    assert all(math.isfinite(v) for v in logs.values())


def test_seeded_runs_are_deterministic() -> None:
    runs = [train_aae(TINY, epochs=1, seed=3, progress=False, device="cpu")
            for _ in range(2)]
    first, second = ({k: v for k, v in r.metrics.items() if k != "seconds"} for r in runs)
    assert first == second
    for a, b in zip(runs[0].model.parameters(), runs[1].model.parameters(), strict=True):
        assert torch.equal(a, b)


def test_cli_writes_a_loadable_checkpoint_and_metrics(tmp_path) -> None:
    assert main(["train", "aae", "--epochs", "1", "--out", str(tmp_path), "--quiet"]) == 0
    model = load_checkpoint(tmp_path / "aae.pt", AdversarialAutoencoder)
    assert model.encode(images()).shape == (6, 2)
    report = json.loads((tmp_path / "metrics.json").read_text())
    assert {"mmd2", "knn_accuracy", "test_mse"} <= set(report["metrics"])
    assert len(report["history"]) == 1


def test_per_epoch_log_uses_the_validation_images_and_the_test_set_only_the_final_numbers(
) -> None:
    run = train_aae(TINY, epochs=2, seed=0, progress=False, device="cpu")
    logged = {key for record in run.history.records for key in record}
    assert {"val_mse", "val_mmd2"} <= logged
    assert not any(key.startswith("test") for key in logged)
    assert {"mmd2", "knn_accuracy", "test_mse", "val_mmd2", "val_knn_accuracy",
            "val_mse"} <= set(run.metrics)
    assert run.extras["x_test"].shape[0] == 450
    assert run.extras["train_codes"].shape[0] == 1077
