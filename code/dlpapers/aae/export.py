"""The AAE demo's files: the trained decoder as ONNX, and the test codes and prior draws.

:func:`export` trains with :func:`~dlpapers.aae.experiment.train_aae` (seed 0, the notebook's
unsupervised model with the N(0, I) prior) and writes

- ``aae-decoder.onnx``: ``codes (b, 2) -> images (b, 64)`` in ``[0, 1]`` (row-major 8x8);
- ``aae-latent.json``: the 450 test digits' codes and labels, the 1,000 prior draws the recipe
  scored the codes against, and the plane's extent, for the page to plot.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dlpapers.aae.model import AdversarialAutoencoder
from dlpapers.export import rounded, to_onnx, write_json


class DecoderDemo(nn.Module):
    """``codes: (b, latent_dim) -> images: (b, c * h * w)``, the decoder without its checks."""

    def __init__(self, model: AdversarialAutoencoder) -> None:
        super().__init__()
        self.decoder = model.decoder

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        return self.decoder(codes).flatten(1)


def export_model(model: AdversarialAutoencoder, path: str | Path) -> Path:
    """Write :class:`DecoderDemo` around ``model`` (put in eval mode) to ``path``."""
    example = torch.zeros(2, model.config.latent_dim)
    return to_onnx(DecoderDemo(model.eval()), example, path, input_name="codes",
                   output_names=["images"])


def export(out_dir: str | Path, *, epochs: int = 60, seed: int = 0,
           progress: bool = False) -> list[Path]:
    """Train the AAE (the notebook's recipe and seed) and write the demo's files to ``out_dir``."""
    from dlpapers.aae.experiment import train_aae

    out_dir = Path(out_dir)
    run = train_aae(seed=seed, epochs=epochs, progress=progress)
    if run.model.config.latent_dim != 2:
        raise ValueError("the demo draws a 2-D latent plane: train with AAEConfig(latent_dim=2)")
    codes, prior = run.extras["test_codes"], run.extras["prior_samples"]
    reach = float(torch.cat([codes, prior]).abs().quantile(0.995))
    latent = {
        "codes": rounded(codes), "labels": run.extras["y_test"].tolist(),
        "prior": rounded(prior[:500]), "extent": round(max(3.0, reach), 1),
        "knn_accuracy": round(run.metrics["knn_accuracy"], 4),
    }
    return [export_model(run.model, out_dir / "aae-decoder.onnx"),
            write_json(latent, out_dir / "aae-latent.json")]
