"""The MDN demo: the ONNX mixture equals PyTorch's, and the true density matches the generator."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime
import pytest
import torch

from dlpapers import data
from dlpapers.mdn import MDNConfig, MixtureDensityNetwork
from dlpapers.mdn.export import MixtureDemo, export, export_model, true_density
from dlpapers.mdn.metrics import oracle_nll


@pytest.fixture(scope="module")
def model() -> MixtureDensityNetwork:
    torch.manual_seed(0)
    model = MixtureDensityNetwork(MDNConfig(components=10)).eval()
    model.standardization.fit(*data.inverted_sinusoid(200))  # non-trivial scaling
    return model


def test_onnx_mixture_parameters_match_the_models_distribution(model, tmp_path):
    session = onnxruntime.InferenceSession(str(export_model(model, tmp_path / "mdn.onnx")))
    t = torch.linspace(-0.1, 1.1, 121).unsqueeze(1)
    weights, loc, scale = session.run(["weights", "loc", "scale"], {"t": t.numpy()})
    mixture = model(t)
    normal = mixture.component_distribution.base_dist
    for got, want in ((weights, mixture.mixture_distribution.probs), (loc, normal.loc[..., 0]),
                      (scale, normal.scale[..., 0])):
        assert got.shape == (121, 10)
        assert np.abs(got - want.detach().numpy()).max() <= 1e-4


def test_demo_module_refuses_a_two_dimensional_input():
    with pytest.raises(ValueError, match="1-D"):
        MixtureDemo(MixtureDensityNetwork(MDNConfig(in_features=2)))


def test_true_density_holds_every_generated_point_and_gives_the_oracle_nll():
    t, x = data.inverted_sinusoid(300, seed=3)
    lengths = []
    for ti, xi in zip(t[:, 0].tolist(), x[:, 0].tolist(), strict=True):
        intervals, height = true_density(ti)
        assert any(a - 1e-4 <= xi <= b + 1e-4 for a, b in intervals)
        assert sum(b - a for a, b in intervals) * height == pytest.approx(1.0)
        lengths.append(1 / height)
    assert float(np.mean(np.log(lengths))) == pytest.approx(oracle_nll(t, x), abs=1e-3)


def test_true_density_splits_into_two_branches_near_the_fold_and_has_one_elsewhere():
    assert len(true_density(0.4)[0]) == len(true_density(0.6)[0]) == 2
    assert len(true_density(0.2)[0]) == len(true_density(0.8)[0]) == 1
    assert true_density(2.0) == ([], 0.0)


def test_export_writes_the_model_the_training_data_and_the_true_density(tmp_path):
    paths = export(tmp_path, epochs=2)
    assert sorted(p.name for p in paths) == ["mdn-data.json", "mdn.onnx"]
    assets = json.loads((tmp_path / "mdn-data.json").read_text())
    assert len(assets["t"]) == len(assets["x"]) == 1000
    n = len(assets["slider"])
    assert len(assets["true_intervals"]) == len(assets["true_height"]) == n == 121
    assert assets["slider"][0] == -0.1 and assets["slider"][-1] == 1.1
