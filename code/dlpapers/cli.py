"""The command line: ``python -m dlpapers train {vit,aae,mdn} [--epochs N] [--seed S] [--out DIR]``.

Each ``train`` run writes two files into ``--out``: ``<model>.pt``, a checkpoint (config and
weights, loadable with :func:`dlpapers.train.load_checkpoint`), and ``metrics.json`` (the final
numbers, the per-epoch history, the config and the command that produced them).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dlpapers.aae.experiment import train_aae
from dlpapers.mdn.experiment import train_mdn
from dlpapers.train import Run, save_checkpoint
from dlpapers.vit.experiment import train_vit

# name -> recipe; each recipe takes (epochs, seed, device, progress) and returns a Run.
RECIPES: dict[str, Callable[..., Run]] = {"aae": train_aae, "mdn": train_mdn, "vit": train_vit}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dlpapers",
        description="Train the Day 9 office-hour assignments (ViT, AAE, MDN) on offline data.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train one model and save a checkpoint")
    train.add_argument("model", choices=sorted(RECIPES), help="which assignment to train")
    train.add_argument("--epochs", type=int, default=None, help="epochs (default: the recipe's)")
    train.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    train.add_argument("--out", type=Path, default=None, help="output folder (default: runs/MODEL)")
    train.add_argument("--device", default="auto", help="auto, cpu, cuda, mps (default: auto)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run_train(args: argparse.Namespace) -> dict:
    recipe = RECIPES[args.model]
    options = {"seed": args.seed, "device": args.device, "progress": not args.quiet}
    if args.epochs is not None:
        if args.epochs < 1:
            raise SystemExit(f"--epochs must be at least 1, got {args.epochs}")
        options["epochs"] = args.epochs
    run = recipe(**options)
    out = args.out or Path("runs") / args.model
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = save_checkpoint(run.model, out / f"{args.model}.pt", metrics=run.metrics)
    report = {
        "model": args.model,
        "command": "python -m dlpapers " + " ".join(sys.argv[1:]),
        "seed": args.seed,
        "seconds": round(run.seconds, 2),
        "metrics": run.metrics,
        "config": dataclasses.asdict(run.model.config),
        "history": run.history.records,
        "checkpoint": str(checkpoint),
    }
    (out / "metrics.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dlpapers``; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "train":
        report = run_train(args)
        summary = ", ".join(f"{k}={v:.4g}" for k, v in report["metrics"].items())
        print(f"{args.model}: {summary} ({report['seconds']:.1f} s) -> {report['checkpoint']}")
    return 0
