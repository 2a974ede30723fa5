"""The MDN demo's files: the trained network as ONNX, its training data and the true density.

:func:`export` trains with :func:`~dlpapers.mdn.experiment.train_mdn` (seed 0, as the notebook)
and writes

- ``mdn.onnx``: ``t (b, 1) -> weights (b, k), loc (b, k), scale (b, k)``, the mixture's
  parameters in the data's own units (1-D targets);
- ``mdn-data.json``: the 1,000 training points and, for every slider position ``t``, the true
  ``p(x | t)`` of the generating process as intervals with one height (see :func:`true_density`).
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dlpapers import data
from dlpapers.export import rounded, to_onnx, write_json
from dlpapers.mdn.model import MixtureDensityNetwork

T_RANGE = (-0.1, 1.1)  # where inverted_sinusoid puts its inputs t
T_STEP = 0.01


class MixtureDemo(nn.Module):
    """``t: (b, 1) -> (weights, loc, scale)``, each ``(b, k)``: the mixture over 1-D ``x``.

    The same arithmetic as :meth:`MixtureDensityNetwork.forward`, returning the parameters
    instead of a ``torch.distributions`` object, and the weights as probabilities (softmax).
    """

    def __init__(self, model: MixtureDensityNetwork) -> None:
        super().__init__()
        if model.config.in_features != 1 or model.config.out_features != 1:
            raise ValueError("the demo's slider is 1-D: use MDNConfig(in_features=1, "
                             "out_features=1)")
        self.model = model

    def forward(self, t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        m, s = self.model, self.model.standardization
        h = m.trunk((t - s.t_mean) / s.t_std)
        loc = s.x_mean + s.x_std * m.to_loc(h)
        scale = s.x_std * (m.config.min_sigma + F.softplus(m.to_scale(h)))
        return m.to_logits(h).softmax(dim=-1), loc, scale


def export_model(model: MixtureDensityNetwork, path: str | Path) -> Path:
    """Write :class:`MixtureDemo` around ``model`` (put in eval mode) to ``path``."""
    return to_onnx(MixtureDemo(model.eval()), torch.zeros(2, 1), path, input_name="t",
                   output_names=["weights", "loc", "scale"])


def true_density(t: float, grid: int = 100_000) -> tuple[list[list[float]], float]:
    """The true ``p(x | t)`` of :func:`dlpapers.data.inverted_sinusoid`: intervals and height.

    ``x ~ U(0, 1)`` and ``t = g(x) + U(-0.1, 0.1)`` with ``g(x) = x + 0.3 sin(2 pi x)``, so
    ``p(x | t)`` is flat, ``1 / L``, on the set ``{x : |t - g(x)| <= 0.1}`` of length ``L`` (the
    argument of :func:`dlpapers.mdn.metrics.oracle_nll`). The set is found on a midpoint grid of
    ``grid`` points and returned as ``[start, end]`` intervals.
    """
    xs = (torch.arange(grid, dtype=torch.float64) + 0.5) / grid
    inside = ((t - (xs + 0.3 * torch.sin(2 * math.pi * xs))).abs() <= 0.1).to(torch.int8)
    if not inside.any():
        return [], 0.0
    edges = torch.diff(F.pad(inside, (1, 1))).nonzero()[:, 0]  # run starts, run ends
    intervals = [[edges[i].item() / grid, edges[i + 1].item() / grid]
                 for i in range(0, len(edges), 2)]
    return intervals, grid / inside.sum().item()


def export(out_dir: str | Path, *, epochs: int = 500, seed: int = 0,
           progress: bool = False) -> list[Path]:
    """Train the MDN (the notebook's recipe and seed) and write the demo's files to ``out_dir``."""
    from dlpapers.mdn.experiment import train_mdn

    out_dir = Path(out_dir)
    run = train_mdn(seed=seed, epochs=epochs, progress=progress)
    t, x = data.inverted_sinusoid(1000, seed=seed)  # the training data train_mdn drew
    steps = round((T_RANGE[1] - T_RANGE[0]) / T_STEP)
    slider = [round(T_RANGE[0] + i * T_STEP, 4) for i in range(steps + 1)]
    truth = [true_density(value) for value in slider]
    assets = {
        "t": rounded(t[:, 0]), "x": rounded(x[:, 0]), "slider": slider,
        "true_intervals": [[[round(a, 4), round(b, 4)] for a, b in iv] for iv, _ in truth],
        "true_height": [round(height, 4) for _, height in truth],
        "components": run.model.config.components,
        "test_nll": round(run.metrics["test_nll"], 4),
        "oracle_nll": round(run.metrics["oracle_nll"], 4),
    }
    return [export_model(run.model, out_dir / "mdn.onnx"),
            write_json(assets, out_dir / "mdn-data.json")]
