"""ViT benchmark: the recipe on digits, and train-step throughput against vit-pytorch.

Run: ``.venv/bin/python benchmarks/bench_vit.py``. Prints one JSON object.

1. ``dlpapers.vit.experiment.train_vit()`` with its defaults on the stratified digits split: test
   accuracy (target >= 0.98) and training seconds (target <= 60 on a quiet 2-core CPU).
2. Samples per second of one full training step (forward, cross-entropy, backward, fused AdamW
   step, as in the recipe) at one fixed config, for our ``ViT`` and lucidrains'
   ``vit_pytorch.vit.ViT``, measured alternately (ours, theirs, ours, ...) after a warm-up;
   medians over repeats and their ratio (target >= 1.3). Measured twice: at the recipe's dropout
   (0.1, both models) and at dropout 0 (vit-pytorch's default), where only the compute differs.
   ``vit_pytorch/__init__.py`` imports torchvision, so its ``vit.py`` is loaded on its own from
   the installed package folder.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from dlpapers.vit import ViT, ViTConfig
from dlpapers.vit.experiment import train_vit

BENCH = dict(image_size=8, patch_size=2, channels=1, num_classes=10, dim=64, depth=4, heads=4,
             dim_head=16, mlp_dim=128, dropout=0.1, pool="cls")
BATCH, STEPS, REPEATS, WARMUP = 64, 30, 9, 20


def load_vit_pytorch():
    """``vit_pytorch.vit`` without ``vit_pytorch/__init__.py`` (which needs torchvision)."""
    spec = importlib.util.find_spec("vit_pytorch")
    if spec is None:
        raise SystemExit("vit-pytorch is not installed: pip install --no-deps vit-pytorch")
    path = Path(next(iter(spec.submodule_search_locations))) / "vit.py"
    module_spec = importlib.util.spec_from_file_location("vit_pytorch_vit", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


def train_step(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor):
    """A closure doing one full step on a fixed batch: forward, loss, backward, AdamW."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05, fused=True)
    model.train()

    def step() -> None:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return step


def throughput(dropout: float) -> dict:
    c = {**BENCH, "dropout": dropout}
    torch.manual_seed(0)
    ours = ViT(ViTConfig(**c))
    theirs = load_vit_pytorch().ViT(
        image_size=c["image_size"], patch_size=c["patch_size"], num_classes=c["num_classes"],
        dim=c["dim"], depth=c["depth"], heads=c["heads"], mlp_dim=c["mlp_dim"],
        channels=c["channels"], dim_head=c["dim_head"], dropout=c["dropout"],
        emb_dropout=c["dropout"], pool=c["pool"],
    )
    x = torch.rand(BATCH, c["channels"], c["image_size"], c["image_size"])
    y = torch.randint(0, c["num_classes"], (BATCH,))
    steps = {"ours": train_step(ours, x, y), "vit_pytorch": train_step(theirs, x, y)}
    for step in steps.values():
        for _ in range(WARMUP):
            step()
    rates: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(REPEATS):
        for name, step in steps.items():  # alternate, so drifting load hits both alike
            start = time.perf_counter()
            for _ in range(STEPS):
                step()
            rates[name].append(STEPS * BATCH / (time.perf_counter() - start))
    medians = {name: statistics.median(values) for name, values in rates.items()}
    return {
        "config": {**c, "batch_size": BATCH},
        "parameters": {"ours": sum(p.numel() for p in ours.parameters()),
                       "vit_pytorch": sum(p.numel() for p in theirs.parameters())},
        "samples_per_second_median": {k: round(v, 1) for k, v in medians.items()},
        "repeats": REPEATS,
        "steps_per_repeat": STEPS,
        "ratio": round(medians["ours"] / medians["vit_pytorch"], 3),
        "target_ratio": 1.3,
    }


def main() -> None:
    run = train_vit(progress=False, device="cpu")
    report = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "recipe": {
            "test_accuracy": round(run.metrics["test_accuracy"], 4),
            "test_loss": round(run.metrics["test_loss"], 4),
            "seconds": round(run.seconds, 1),
            "epochs": len(run.history),
            "target_accuracy": 0.98,
            "target_seconds": 60,
        },
        "throughput": throughput(BENCH["dropout"]),
        "throughput_without_dropout": throughput(0.0),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
