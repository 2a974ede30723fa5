"""ViT benchmark: the recipe and three classic baselines on digits, and train-step throughput.

Run: ``.venv/bin/python benchmarks/bench_vit.py [--seeds 0 1 2] [--with-shift] [--no-throughput]``.
Prints one JSON object.

1. ``dlpapers.vit.experiment.train_vit()`` with its defaults, once per seed, on the digits split
   with a validation part (1,077 train / 270 validation / 450 test): final validation accuracy,
   test accuracy (target >= 0.98) and training seconds (target <= 60 on a quiet 2-core CPU).
   ``--with-shift`` trains the same seeds again with random 1-pixel shifts (``max_shift=1``):
   the recipe's augmentation choice, judged on the validation accuracy.
2. Baselines from scikit-learn on the same pixels (64 values in [0, 1]): an RBF-kernel SVM, an
   MLP and logistic regression. Each one's hyperparameters are chosen on the validation part from
   the small grid in ``GRIDS`` (highest validation accuracy; ties go to the first in grid order),
   fitted on the 1,077 training images only, like the ViT, and scored once on the test images.
   The MLP, whose result depends on its seed, is also scored with the chosen setting for seeds
   0-4.
3. Samples per second of one full training step (forward, cross-entropy, backward, fused AdamW
   step, as in the recipe) at one fixed config, for our ``ViT`` and lucidrains'
   ``vit_pytorch.vit.ViT``, measured alternately (ours, theirs, ours, ...) after a warm-up;
   medians over repeats and their ratio (target >= 1.3). Measured twice: at the recipe's dropout
   (0.1, both models) and at dropout 0 (vit-pytorch's default), where only the compute differs.
   ``vit_pytorch/__init__.py`` imports torchvision, so its ``vit.py`` is loaded on its own from
   the installed package folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.svm import SVC

from dlpapers import data
from dlpapers.vit import ViT, ViTConfig
from dlpapers.vit.experiment import train_vit

GRIDS = {
    "rbf_svm": (SVC, {"kernel": ["rbf"], "C": [1, 3, 10, 30, 100], "gamma": [0.01, 0.03, 0.1]}),
    "mlp": (MLPClassifier, {"hidden_layer_sizes": [(64,), (128,), (256,)],
                            "alpha": [1e-4, 1e-3, 1e-2, 1e-1], "max_iter": [2000],
                            "random_state": [0]}),
    "logistic_regression": (LogisticRegression, {"C": [0.1, 1, 10, 100], "max_iter": [5000]}),
}

BENCH = dict(image_size=8, patch_size=2, channels=1, num_classes=10, dim=64, depth=4, heads=4,
             dim_head=16, mlp_dim=128, dropout=0.1, pool="cls")
BATCH, STEPS, REPEATS, WARMUP = 64, 30, 9, 20


def baselines(split: data.Split, grids: dict = GRIDS, mlp_seeds: range = range(5)) -> dict:
    """Each grid's best setting on the validation part, then its test accuracy (see above)."""
    flat = {part: getattr(split, f"x_{part}").flatten(1).numpy() for part in
            ("train", "val", "test")}
    y_train, y_val, y_test = (getattr(split, f"y_{part}").numpy() for part in
                              ("train", "val", "test"))
    report = {}
    for name, (estimator, grid) in grids.items():
        tried = []
        for values in itertools.product(*grid.values()):
            params = dict(zip(grid, values, strict=True))
            model = estimator(**params).fit(flat["train"], y_train)
            tried.append((model.score(flat["val"], y_val), params, model))
        val_accuracy, params, model = max(tried, key=lambda t: t[0])  # max keeps the first tie
        entry = {
            "chosen": {k: v for k, v in params.items() if len(grid[k]) > 1},
            "val_accuracy": round(val_accuracy, 4),
            "test_accuracy": round(model.score(flat["test"], y_test), 4),
            "grid": {k: v for k, v in grid.items() if len(v) > 1},
        }
        if "random_state" in grid:
            entry["test_accuracy_by_seed"] = [
                round(estimator(**{**params, "random_state": seed})
                      .fit(flat["train"], y_train).score(flat["test"], y_test), 4)
                for seed in mlp_seeds
            ]
        report[name] = entry
    return report


def recipe(seeds: list[int], max_shift: int = 0) -> dict:
    """``train_vit`` once per seed: validation and test accuracy, seconds."""
    runs = [train_vit(progress=False, device="cpu", seed=seed, max_shift=max_shift)
            for seed in seeds]
    column = {key: [round(run.metrics[key], 4) for run in runs]
              for key in ("val_accuracy", "test_accuracy", "test_loss")}
    return {
        "seeds": seeds,
        "max_shift": max_shift,
        **column,
        "seconds": [round(run.seconds, 1) for run in runs],
        "epochs": len(runs[0].history),
    }


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="ViT seeds")
    parser.add_argument("--with-shift", action="store_true",
                        help="also train the seeds with random 1-pixel shifts")
    parser.add_argument("--no-throughput", action="store_true",
                        help="skip the speed comparison with vit-pytorch")
    args = parser.parse_args(argv)
    split = data.digits(validation_size=0.2)
    report = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "split": {part: len(getattr(split, f"y_{part}")) for part in ("train", "val", "test")},
        "recipe": {**recipe(args.seeds), "target_accuracy": 0.98, "target_seconds": 60},
    }
    if args.with_shift:
        report["recipe_with_shift"] = recipe(args.seeds, max_shift=1)
    report["baselines"] = baselines(split)
    if not args.no_throughput:
        report["throughput"] = throughput(BENCH["dropout"])
        report["throughput_without_dropout"] = throughput(0.0)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
