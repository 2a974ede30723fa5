"""The reproducibility card: what a notebook ran on, written by the run itself.

A number such as "test accuracy 0.9711" means little without the conditions that produced it.
The same seed gives the same numbers only with the same code, the same library versions and the
same hardware (two CPUs can take different BLAS paths and differ in the fourth digit). So every
notebook starts a clock in its first code cell and ends with a card that records, at the moment it
runs:

- the ``dlpapers`` version and the git commit of its source (``+dirty`` when the working tree
  had uncommitted changes; from pip's ``direct_url.json`` when it was installed from GitHub, as
  in Colab),
- the Python, torch and NumPy versions,
- the device (the GPU's name, or the CPU model) and torch's thread count,
- the seeds the notebook used,
- the date, and how long the notebook took from its first cell to its card.

Nothing on the card is typed by hand: a learner who runs the notebook gets a card about their own
run, and a card on the site tells which build produced the figures above it.

Example:
    >>> from dlpapers import reproducibility
    >>> clock = reproducibility.start()          # first code cell
    >>> card = reproducibility.card(clock, seeds={"train_vit": 0})   # last code cell
    >>> card.fields["seeds"]
    'train_vit=0'
"""

from __future__ import annotations

import datetime as dt
import html
import json
import platform
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import torch

import dlpapers
from dlpapers.train import pick_device

PACKAGE_DIR = Path(dlpapers.__file__).resolve().parent

#: The order and labels of the card's rows (the keys of :attr:`Card.fields`).
LABELS = {
    "dlpapers": "dlpapers",
    "commit": "git commit",
    "python": "Python",
    "torch": "torch",
    "numpy": "NumPy",
    "device": "device",
    "threads": "torch threads",
    "seeds": "seeds",
    "date": "date (UTC)",
    "duration": "execution time",
}


@dataclass(frozen=True)
class Clock:
    """When a notebook started: wall-clock time for the date, a monotonic counter for durations."""

    started_at: dt.datetime
    counter: float


def start() -> Clock:
    """Start the clock; call it once, in the notebook's first code cell."""
    return Clock(started_at=dt.datetime.now(dt.UTC), counter=time.perf_counter())


def git_commit(directory: Path = PACKAGE_DIR) -> str | None:
    """The commit the package's source comes from, or ``None`` when it cannot be told.

    A git checkout (editable install, or ``PYTHONPATH=code``) answers with ``git rev-parse``;
    ``+dirty`` is added when tracked files have uncommitted changes. A package installed by pip
    from a git URL (``pip install git+https://...``, as the Colab cell does) has no ``.git``; pip
    wrote the commit into the distribution's ``direct_url.json`` (PEP 610), so that is read instead.
    """
    try:
        commit = subprocess.run(
            ["git", "-C", str(directory), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "-C", str(directory), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip()
        return commit + ("+dirty" if changed else "")
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        direct_url = metadata.distribution("dlpapers").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if direct_url:
        commit = json.loads(direct_url).get("vcs_info", {}).get("commit_id")
        if commit:
            return commit[:12]
    return None


def device_name(device: str | torch.device | None = None) -> str:
    """A human name for ``device`` (default: the one :func:`dlpapers.train.pick_device` picks):
    the GPU's name or the CPU model, since the same seed can give slightly different numbers on
    different chips."""
    device = pick_device(device)
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    if device.type != "cpu":
        return device.type
    return f"cpu ({_cpu_model()})"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _seeds_text(seeds: Mapping[str, int] | None) -> str:
    if not seeds:
        return "none"
    for name, value in seeds.items():
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"seed {name!r} must be an int, got {value!r}")
    return ", ".join(f"{name}={value}" for name, value in seeds.items())


@dataclass(frozen=True)
class Card:
    """The card's rows (``fields``, keyed as :data:`LABELS`), shown as a table in a notebook."""

    fields: Mapping[str, str]

    def _repr_html_(self) -> str:
        rows = "\n".join(
            f'<tr data-field="{key}"><th scope="row">{html.escape(LABELS[key])}</th>'
            f"<td><code>{html.escape(value)}</code></td></tr>"
            for key, value in self.fields.items()
        )
        return (
            '<div class="reproducibility-card">\n<table>\n'
            "<caption>Reproducibility card</caption>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
        )

    def __str__(self) -> str:
        width = max(len(label) for label in LABELS.values())
        return "\n".join(f"{LABELS[k]:<{width}}  {v}" for k, v in self.fields.items())

    def __repr__(self) -> str:
        return f"Card({dict(self.fields)!r})"


def card(
    clock: Clock,
    seeds: Mapping[str, int] | None = None,
    device: str | torch.device | None = None,
) -> Card:
    """The card for a run that started at ``clock``; call it in the notebook's last code cell.

    Args:
        clock: What :func:`start` returned in the first cell.
        seeds: The seeds the notebook passed, by name (``{"train_vit": 0}``).
        device: The device the notebook trained on; default: the one
            :func:`dlpapers.train.pick_device` chooses (CUDA, else Apple's MPS, else the CPU).
    """
    seconds = time.perf_counter() - clock.counter
    fields = {
        "dlpapers": dlpapers.__version__,
        "commit": git_commit() or "unknown",
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "device": device_name(device),
        "threads": str(torch.get_num_threads()),
        "seeds": _seeds_text(seeds),
        "date": clock.started_at.strftime("%Y-%m-%d %H:%M"),
        "duration": f"{seconds:.1f} s",
    }
    return Card(fields)
