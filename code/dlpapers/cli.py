"""The command line: training runs and the exercises.

- ``python -m dlpapers train {vit,aae,mdn} [--epochs N] [--seed S] [--out DIR]``
- ``python -m dlpapers exercises``: every exercise with its paper and status (from ``./exercises/``)
- ``python -m dlpapers exercise start ID``: write the starter ``exercises/<id>.py``, never over one
- ``python -m dlpapers check ID [PATH]``: run the checks; exit status 0 only if all pass

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

from dlpapers import exercises
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
    folder = {"type": Path, "default": Path("exercises"),
              "help": "the folder of your answers (default: ./exercises)"}
    listing = commands.add_parser("exercises", help="list the exercises and your status")
    listing.add_argument("--dir", **folder)
    exercise = commands.add_parser("exercise", help="start an exercise: write its starter file")
    exercise.add_argument("action", choices=["start"])
    exercise.add_argument("id", help="the exercise, e.g. vit-patchify")
    exercise.add_argument("--dir", **folder)
    check = commands.add_parser("check", help="check your answer to an exercise")
    check.add_argument("id", help="the exercise, e.g. vit-patchify")
    check.add_argument("path", type=Path, nargs="?", help="your file (default: DIR/<id>.py)")
    check.add_argument("--dir", **folder)
    check.add_argument("--timeout", type=float, default=10.0, help="seconds (default: 10)")
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


def list_exercises(folder: Path) -> list[tuple[str, str, str]]:
    """``(id, paper, status)`` of every exercise; the status comes from the file in ``folder``."""
    rows = []
    for exercise in exercises.registry().values():
        path = folder / exercise.filename
        if not path.exists():
            status = "not started"
        else:
            status = "passing" if exercises.run(exercise.id, path).passed else "failing"
        rows.append((exercise.id, exercise.paper, status))
    return rows


def start_exercise(exercise_id: str, folder: Path) -> Path:
    """Write the starter of ``exercise_id`` into ``folder``; a ValueError if the file exists."""
    exercise = exercises.get(exercise_id)
    path = folder / exercise.filename
    if path.exists():
        raise ValueError(f"{path} already exists: it is your answer, so it stays. Check it with "
                         f"`python -m dlpapers check {exercise.id}`, or delete it to start over")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(exercise.starter())
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dlpapers``; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "exercises":
            for exercise_id, paper, status in list_exercises(args.dir):
                print(f"{exercise_id:<18} {paper:<4} {status}")
            return 0
        if args.command == "exercise":
            path = start_exercise(args.id, args.dir)
            exercise = exercises.get(args.id)
            print(f"wrote {path}: write `{exercise.function}`, then run "
                  f"`python -m dlpapers check {args.id}`")
            return 0
        if args.command == "check":
            path = args.path or args.dir / exercises.get(args.id).filename
            return 0 if exercises.check(args.id, path, timeout=args.timeout).passed else 1
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.command == "train":
        report = run_train(args)
        summary = ", ".join(f"{k}={v:.4g}" for k, v in report["metrics"].items())
        print(f"{args.model}: {summary} ({report['seconds']:.1f} s) -> {report['checkpoint']}")
    return 0
