"""The MDN recipe: seeded runs, baselines, jittered batches, the command line."""

from __future__ import annotations

import math

import torch

from dlpapers.cli import main
from dlpapers.mdn import (
    MixtureDensityNetwork,
)
from dlpapers.mdn.experiment import JitteredBatches, train_mdn
from dlpapers.train import load_checkpoint
from tests.mdn import TINY


def test_a_short_seeded_run_is_deterministic_and_learns():
    options = dict(config=TINY, epochs=3, n_train=200, n_test=500, progress=False, device="cpu")
    first, again = train_mdn(**options), train_mdn(**options)
    assert first.metrics == again.metrics
    assert first.history["loss"][-1] < first.history["loss"][0]
    assert first.metrics["oracle_nll"] < first.metrics["test_nll"]
    assert set(first.metrics) >= {"test_nll", "oracle_nll", "pit_ks", "pit_ks_critical_1pct"}


def test_recipe_baselines_report_their_nll_and_models():
    run = train_mdn(config=TINY, epochs=2, n_train=200, n_test=500, progress=False,
                                device="cpu", baselines=True)
    assert {"gaussian_nll", "mse_nll"} <= set(run.metrics)
    assert all(math.isfinite(v) for v in run.metrics.values())
    assert run.extras["baselines"]["gaussian"].config.components == 1


def test_cli_trains_the_mdn_and_writes_a_loadable_checkpoint(tmp_path, capsys):
    assert main(["train", "mdn", "--epochs", "1", "--quiet", "--out", str(tmp_path),
                 "--device", "cpu"]) == 0
    assert "test_nll" in capsys.readouterr().out
    model = load_checkpoint(tmp_path / "mdn.pt", MixtureDensityNetwork)
    assert model.config.components == 10 and (tmp_path / "metrics.json").exists()


def test_jittered_batches_cover_every_row_once_and_jitter_only_what_they_are_asked_to():
    t, x = torch.arange(10.0)[:, None], torch.arange(10.0)[:, None] + 100
    plain = list(JitteredBatches(t, x, batch_size=4, seed=0))
    assert [len(b[0]) for b in plain] == [4, 4, 2]
    assert torch.cat([b[1] for b in plain]).sort(0).values.equal(x)
    assert all(torch.equal(bt + 100, bx) for bt, bx in plain)  # no noise: pairs intact
    noisy = list(JitteredBatches(t, x, batch_size=10, t_noise=0.0, x_noise=0.1,
                                             seed=0))
    (bt, bx), = noisy
    assert bt.frac().eq(0).all() and not bx.frac().eq(0).all()
    assert (bx - bt - 100).abs().max() < 1.0


def test_the_weight_average_and_target_noise_options_train_deterministically():
    options = dict(config=TINY, epochs=2, n_train=200, n_test=500, progress=False, device="cpu",
                   ema=0.9, target_noise=0.05)
    first, again = train_mdn(**options), train_mdn(**options)
    assert first.metrics == again.metrics and math.isfinite(first.metrics["test_nll"])
    plain = train_mdn(**{**options, "ema": None})
    assert plain.metrics["test_nll"] != first.metrics["test_nll"]
