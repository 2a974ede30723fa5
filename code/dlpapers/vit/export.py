"""The ViT demo's files: the trained classifier as ONNX, with its attention rollout, and digits.

``python -c "from dlpapers.vit.export import export; export('out')"`` trains with
:func:`~dlpapers.vit.experiment.train_vit` (seed 0, as the notebook) and writes

- ``vit.onnx``: ``pixels (b, 1, 8, 8)`` in ``[0, 1]`` -> ``probabilities (b, 10)`` and
  ``rollout (b, 16)``, the class token's attention rollout over the 16 patches (row-major);
- ``vit-digits.json``: a few test digits (0..16 counts, as in scikit-learn's data), their labels
  and PyTorch's probabilities for them, which the browser test compares with the page's.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dlpapers import data
from dlpapers.export import rounded, to_onnx, write_json
from dlpapers.vit.model import ViT, attention_rollout


class ViTDemo(nn.Module):
    """``pixels: (b, 1, h, w) -> (probabilities (b, classes), rollout (b, patches))``.

    One pass through the encoder that also writes out each block's attention weights (what
    :meth:`ViT.attention_maps` does), then the class token's row of
    :func:`attention_rollout` without its own column. No input checks: the page sends 8x8
    images in ``[0, 1]`` that it made itself.
    """

    def __init__(self, vit: ViT) -> None:
        super().__init__()
        if vit.config.pool != "cls":
            raise ValueError("the demo draws the class token's rollout: use ViTConfig(pool='cls')")
        self.vit = vit

    def forward(self, pixels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        vit = self.vit
        z, maps = vit.embed(pixels), []
        for block in vit.blocks:
            maps.append(block.attn.weights(block.norm1(z)))
            z = block(z)
        probabilities = vit.forward_head(vit.norm(z)).softmax(dim=-1)
        rollout = attention_rollout(torch.stack(maps))[:, 0, 1:]
        return probabilities, rollout


def export_model(vit: ViT, path: str | Path) -> Path:
    """Write :class:`ViTDemo` around ``vit`` (put in eval mode) to ``path``."""
    c = vit.config
    example = torch.zeros(2, c.channels, c.image_size, c.image_size)
    return to_onnx(ViTDemo(vit.eval()), example, path, input_name="pixels",
                   output_names=["probabilities", "rollout"])


def sample_digits(per_class: int = 2) -> tuple[torch.Tensor, torch.Tensor]:
    """The first ``per_class`` test digits of each class, ``(10 * per_class, 1, 8, 8)``, labels."""
    if per_class < 1:
        raise ValueError(f"per_class must be at least 1, got {per_class}")
    split = data.digits()
    rows = torch.cat([(split.y_test == k).nonzero()[:per_class, 0] for k in range(10)])
    return split.x_test[rows], split.y_test[rows]


def export(out_dir: str | Path, *, epochs: int = 60, seed: int = 0,
           progress: bool = False) -> list[Path]:
    """Train the ViT (the notebook's recipe and seed) and write the demo's files to ``out_dir``."""
    from dlpapers.vit.experiment import train_vit

    out_dir = Path(out_dir)
    run = train_vit(seed=seed, epochs=epochs, progress=progress)
    vit = run.model.eval()
    onnx_path = export_model(vit, out_dir / "vit.onnx")
    images, labels = sample_digits()
    with torch.no_grad():
        probabilities, rollout = ViTDemo(vit)(images)
    c = vit.config
    digits = {
        "image_size": c.image_size, "patch_size": c.patch_size,
        "test_accuracy": round(run.metrics["test_accuracy"], 4),
        "labels": labels.tolist(),
        # 0..16 on-pixel counts, as scikit-learn ships them (the model sees them / 16)
        "counts": torch.round(images[:, 0] * 16).to(torch.int64).flatten(1).tolist(),
        "probabilities": rounded(probabilities, 7),
        "rollout": rounded(rollout, 7),
    }
    return [onnx_path, write_json(digits, out_dir / "vit-digits.json")]
