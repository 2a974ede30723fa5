"""What every paper's ``export.py`` shares: ONNX files and JSON assets for the in-browser demos.

Each paper's :mod:`~dlpapers.vit.export` (and ``aae``, ``mdn``) trains its model with the paper's
recipe, wraps the part the page needs in a small ``nn.Module`` whose ``forward`` returns plain
tensors (no ``torch.distributions``, no input checks that branch on values, which the ONNX graph
cannot hold), and writes it with :func:`to_onnx`. ``hooks/demos.py`` runs them at build time;
the page runs the files with onnxruntime-web.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

OPSET = 18


def to_onnx(
    module: nn.Module,
    example: torch.Tensor,
    path: str | Path,
    *,
    input_name: str,
    output_names: Sequence[str],
) -> Path:
    """Write ``module`` (in eval mode) as one ONNX file with a dynamic batch axis.

    Uses ``torch.onnx.export`` with ``dynamo=True`` (the exporter of torch >= 2.9, which needs
    ``onnxscript``) and the weights stored inside the file, so the page fetches one file.

    Args:
        module: Maps ``example``-shaped float32 input to the tensors named in ``output_names``.
        example: One input batch, ``(b, ...)``; its first axis becomes the dynamic ``batch``.
        path: Where to write the ``.onnx`` file (its folder is created).
        input_name: Name of the graph's input, as the page passes it.
        output_names: Names of the graph's outputs, in ``forward``'s order.

    Returns:
        ``path`` as a :class:`~pathlib.Path`.
    """
    if example.ndim < 1 or example.dtype != torch.float32:
        raise ValueError(f"example must be a float32 batch (b, ...), got {example.dtype} "
                         f"{tuple(example.shape)}: pass e.g. torch.zeros(2, 1, 8, 8)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    module = module.eval()
    batch = torch.export.Dim("batch", min=1, max=4096)
    quiet = logging.getLogger("torch.onnx")  # "torchvision is not installed" and the like
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the exporter's notes on its own internals
            program = torch.onnx.export(
                module, (example,), dynamo=True, opset_version=OPSET, input_names=[input_name],
                output_names=list(output_names), dynamic_shapes=({0: batch},),
                external_data=False, verbose=False, optimize=True,
            )
    finally:
        quiet.setLevel(level)
    program.save(str(path), external_data=False)
    return path


def write_json(data: dict, path: str | Path) -> Path:
    """Write ``data`` as compact UTF-8 JSON (no spaces: the page downloads it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def rounded(values: torch.Tensor, decimals: int = 3) -> list:
    """A tensor as nested lists of floats rounded to ``decimals`` (smaller JSON)."""
    return torch.round(values.detach().double(), decimals=decimals).tolist()
