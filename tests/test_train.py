"""The one training loop, seeding, devices and checkpoints."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
import torch
from torch import nn

from dlpapers import train
from dlpapers.data import loader


@dataclasses.dataclass(frozen=True)
class TinyConfig:
    features: int = 4
    classes: int = 3


class Tiny(nn.Module):
    def __init__(self, config: TinyConfig):
        super().__init__()
        self.config = config
        self.net = nn.Linear(config.features, config.classes)

    def forward(self, x):
        return self.net(x)


class Other(Tiny):
    pass


def blobs(n=90, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 3
    x = torch.randn(n, 4, generator=g) + 3 * nn.functional.one_hot(y, 4).float()
    return x, y


def run(seed: int) -> train.History:
    train.seed_everything(seed)
    model = Tiny(TinyConfig())
    x, y = blobs()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    return train.fit(
        model,
        train.supervised_step(model, opt),
        loader(x, y, batch_size=16, shuffle=True, seed=seed),
        epochs=5,
        evaluate=lambda m: {"acc": (m(x).argmax(1) == y).float().mean().item()},
        progress=False,
    )


def test_fit_logs_one_record_per_epoch_with_step_means_and_evaluation():
    history = run(0)
    assert len(history) == 5
    assert [r["epoch"] for r in history.records] == [1, 2, 3, 4, 5]
    assert set(history.last) == {"epoch", "loss", "acc"}
    assert history["loss"][-1] < history["loss"][0]
    assert history.last["acc"] > 0.9


def test_same_seed_gives_the_same_history_and_another_seed_does_not():
    assert run(3).records == run(3).records
    assert run(3).records != run(4).records


def test_fit_leaves_the_model_in_eval_mode_and_rejects_bad_epochs():
    model = Tiny(TinyConfig())
    x, y = blobs()
    step = train.supervised_step(model, torch.optim.SGD(model.parameters(), lr=0.1))
    batches = loader(x, y, batch_size=30, shuffle=False)
    train.fit(model, step, batches, epochs=1, progress=False)
    assert not model.training
    with pytest.raises(ValueError, match="epochs"):
        train.fit(model, step, batches, epochs=0, progress=False)


def test_fit_refuses_an_empty_loader():
    model = Tiny(TinyConfig())
    step = train.supervised_step(model, torch.optim.SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match="no batch"):
        train.fit(model, step, [], epochs=1, progress=False)


def test_pick_device_defaults_to_an_available_device():
    assert train.pick_device("cpu") == torch.device("cpu")
    assert train.pick_device(None).type in {"cpu", "cuda", "mps"}


def test_seed_everything_rejects_negative_seeds():
    with pytest.raises(ValueError, match="seed"):
        train.seed_everything(-1)


def test_checkpoint_round_trips_config_and_weights(tmp_path):
    model = Tiny(TinyConfig(features=4, classes=3))
    path = train.save_checkpoint(model, tmp_path / "tiny.pt", note="hello")
    loaded = train.load_checkpoint(path, Tiny)
    assert loaded.config == model.config
    x = torch.randn(5, 4)
    torch.testing.assert_close(loaded(x), model(x))
    assert torch.load(path, weights_only=True)["metadata"] == {"note": "hello"}


def test_checkpoint_refuses_another_model_class(tmp_path):
    path = train.save_checkpoint(Tiny(TinyConfig()), tmp_path / "tiny.pt")
    with pytest.raises(ValueError, match="holds a Tiny, not a Other"):
        train.load_checkpoint(path, Other)


def test_checkpoint_refuses_a_different_requested_config(tmp_path):
    path = train.save_checkpoint(Tiny(TinyConfig()), tmp_path / "tiny.pt")
    with pytest.raises(ValueError, match="classes"):
        train.load_checkpoint(path, Tiny, config=TinyConfig(classes=5))


def test_checkpoint_refuses_unknown_config_fields(tmp_path):
    path = train.save_checkpoint(Tiny(TinyConfig()), tmp_path / "tiny.pt")
    checkpoint = torch.load(path, weights_only=True)
    checkpoint["config"]["depth"] = 3
    torch.save(checkpoint, path)
    with pytest.raises(ValueError, match="unknown fields \\['depth'\\]"):
        train.load_checkpoint(path, Tiny)


def test_checkpoint_refuses_weights_that_do_not_fit(tmp_path):
    path = train.save_checkpoint(Tiny(TinyConfig()), tmp_path / "tiny.pt")
    checkpoint = torch.load(path, weights_only=True)
    checkpoint["state_dict"]["net.weight"] = torch.zeros(7, 7)
    torch.save(checkpoint, path)
    with pytest.raises(ValueError, match="weights do not fit"):
        train.load_checkpoint(path, Tiny)


def test_checkpoint_refuses_a_plain_state_dict_and_arbitrary_pickles(tmp_path):
    plain = tmp_path / "plain.pt"
    torch.save(Tiny(TinyConfig()).state_dict(), plain)
    with pytest.raises(ValueError, match="not a dlpapers checkpoint"):
        train.load_checkpoint(plain, Tiny)

    evil = tmp_path / "evil.pt"
    with open(evil, "wb") as f:
        pickle.dump(TinyConfig(), f)  # an arbitrary Python object: weights_only refuses it
    with pytest.raises(ValueError, match="weights_only=True refuses"):
        train.load_checkpoint(evil, Tiny)


def test_save_checkpoint_needs_a_dataclass_config(tmp_path):
    model = nn.Linear(2, 2)
    with pytest.raises(ValueError, match="config"):
        train.save_checkpoint(model, tmp_path / "x.pt")
