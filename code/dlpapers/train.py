"""The one training loop, and the checkpoints it leaves behind.

:func:`fit` knows nothing of the model it trains. It takes a *step*: a function that gets one
minibatch (already on the right device), updates the model and returns the numbers worth logging.
A supervised model uses :func:`supervised_step` (forward, loss, backward, optimiser step); the
adversarial autoencoder passes its own step (two phases a minibatch) to the same loop.

Determinism: call :func:`seed_everything` before you build the model and the data loaders, and two
runs with the same seed give the same numbers on the same machine.
"""

from __future__ import annotations

import dataclasses
import pickle
import random
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm  # the terminal bar; tqdm.auto warns in notebooks without ipywidgets

Batch = tuple[torch.Tensor, ...]
Step = Callable[[Batch], Mapping[str, float]]
Evaluate = Callable[[nn.Module], Mapping[str, float]]

CHECKPOINT_FORMAT = "dlpapers-checkpoint/1"


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and PyTorch's generators with one number."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (libraries that draw from NumPy's global generator)
    torch.manual_seed(seed)


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """The device to train on: the one asked for, else CUDA, else Apple's MPS, else the CPU.

    Args:
        device: ``None`` or ``"auto"`` to choose, or any name :class:`torch.device` accepts.
    """
    if device is None or device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    return torch.device(device)


@dataclass
class History:
    """What :func:`fit` logged, one record per epoch.

    Each record holds the mean of every number the step returned over that epoch, plus what
    ``evaluate`` returned at the end of it. ``history["loss"]`` is one column as a list.
    """

    records: list[dict[str, float]] = field(default_factory=list)

    def __getitem__(self, key: str) -> list[float]:
        return [record[key] for record in self.records if key in record]

    def __len__(self) -> int:
        return len(self.records)

    @property
    def last(self) -> dict[str, float]:
        """The record of the final epoch."""
        return self.records[-1] if self.records else {}


def supervised_step(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    loss_fn: Callable[..., torch.Tensor] = F.cross_entropy,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    max_grad_norm: float | None = None,
) -> Step:
    """The usual step: ``loss_fn(model(x), y)``, backward, optimiser (and scheduler) step.

    Args:
        model: Maps the batch's inputs to whatever ``loss_fn`` expects first.
        optimizer: Updates ``model``'s parameters.
        loss_fn: ``loss_fn(output, target) -> scalar``; cross-entropy by default.
        scheduler: Stepped once per batch, if given.
        max_grad_norm: Clip the gradient norm to this value, if given.

    Returns:
        A step for :func:`fit` that logs ``{"loss": ...}``.
    """

    def step(batch: Batch) -> dict[str, float]:
        inputs, targets = batch
        loss = loss_fn(model(inputs), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if max_grad_norm is not None:
            nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        return {"loss": loss.item()}

    return step


def fit(
    model: nn.Module,
    step: Step,
    batches: Iterable[Batch],
    *,
    epochs: int,
    evaluate: Evaluate | None = None,
    device: str | torch.device | None = None,
    progress: bool = True,
    desc: str = "train",
) -> History:
    """Train ``model`` for ``epochs`` passes over ``batches`` and log every epoch.

    Args:
        model: Moved to ``device``; put in train mode for the steps and in eval mode (under
            ``torch.no_grad``) for ``evaluate``.
        step: Called once per minibatch with the batch's tensors on ``device``; returns numbers.
        batches: Re-iterated every epoch, e.g. a shuffling :class:`~torch.utils.data.DataLoader`.
        epochs: Number of passes.
        evaluate: Called with the model after every epoch; its numbers join that epoch's record.
        device: See :func:`pick_device`.
        progress: Show a tqdm progress bar over the epochs with the latest numbers.
        desc: Label of the progress bar.

    Returns:
        The :class:`History` of per-epoch means.
    """
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive int, got {epochs!r}")
    device = pick_device(device)
    model.to(device)
    history = History()
    bar = tqdm(range(epochs), desc=desc, disable=not progress, unit="epoch")
    for epoch in bar:
        model.train()
        sums: dict[str, float] = {}
        count = 0
        for batch in batches:
            logs = step(tuple(t.to(device) for t in batch))
            for key, value in logs.items():
                sums[key] = sums.get(key, 0.0) + float(value)
            count += 1
        if count == 0:
            raise ValueError("the data loader yielded no batch: is the data set empty?")
        record = {"epoch": epoch + 1, **{key: total / count for key, total in sums.items()}}
        if evaluate is not None:
            model.eval()
            with torch.no_grad():
                record.update({key: float(v) for key, v in evaluate(model).items()})
        history.records.append(record)
        bar.set_postfix({k: f"{v:.4g}" for k, v in record.items() if k != "epoch"})
    model.eval()
    return history


def save_checkpoint(model: nn.Module, path: str | Path, **metadata: typing.Any) -> Path:
    """Save ``model`` as its config (``dataclasses.asdict``) plus its ``state_dict``.

    The model must keep its config dataclass as ``model.config``. Extra keyword arguments
    (plain numbers, strings, lists, dicts) are stored as metadata.
    """
    config = getattr(model, "config", None)
    if not dataclasses.is_dataclass(config):
        raise ValueError(f"{type(model).__name__} has no dataclass `config` attribute to save")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "format": CHECKPOINT_FORMAT,
            "model": type(model).__name__,
            "config": dataclasses.asdict(config),
            "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
            "metadata": metadata,
        },
        path,
    )
    return path


def load_checkpoint(
    path: str | Path, model_class: type[nn.Module], config: typing.Any = None
) -> nn.Module:
    """Rebuild a model saved by :func:`save_checkpoint`, loading with ``weights_only=True``.

    Args:
        path: The checkpoint file.
        model_class: The class to rebuild, e.g. ``ViT``; its ``__init__`` takes one ``config``
            argument whose annotation names the config dataclass.
        config: If given, the checkpoint's config must equal it, field by field.

    Returns:
        The model, in eval mode, on the CPU.

    Raises:
        ValueError: If the file is not a dlpapers checkpoint, holds another model, or its config
            or weights do not fit ``model_class`` (or ``config``).
    """
    path = Path(path)
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise ValueError(
            f"{path} holds Python objects that weights_only=True refuses to load; "
            "only checkpoints written by dlpapers.train.save_checkpoint are accepted"
        ) from error
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(
            f"{path} is not a dlpapers checkpoint (expected format {CHECKPOINT_FORMAT!r}); "
            "write one with dlpapers.train.save_checkpoint"
        )
    if checkpoint["model"] != model_class.__name__:
        raise ValueError(
            f"{path} holds a {checkpoint['model']}, not a {model_class.__name__}: "
            f"load it with load_checkpoint(path, {checkpoint['model']})"
        )
    config_class = typing.get_type_hints(model_class.__init__)["config"]
    saved = checkpoint["config"]
    known = {f.name for f in dataclasses.fields(config_class)}
    if set(saved) != known:
        raise ValueError(
            f"{path}'s config does not fit {config_class.__name__}: unknown fields "
            f"{sorted(set(saved) - known)}, missing fields {sorted(known - set(saved))}"
        )
    saved_config = config_class(**saved)
    if config is not None and config != saved_config:
        diff = {
            name: (getattr(saved_config, name), getattr(config, name))
            for name in sorted(known)
            if getattr(saved_config, name) != getattr(config, name)
        }
        raise ValueError(
            f"{path} was trained with another {config_class.__name__}; "
            f"fields differing (checkpoint, requested): {diff}"
        )
    model = model_class(saved_config)
    try:
        model.load_state_dict(checkpoint["state_dict"])
    except RuntimeError as error:
        raise ValueError(f"{path}'s weights do not fit {model_class.__name__}: {error}") from error
    return model.eval()


@dataclass
class Run:
    """What one training run produced.

    Attributes:
        model: The trained model, in eval mode.
        history: Per-epoch numbers logged during training.
        metrics: Final test-set numbers (what ``metrics.json`` stores).
        seconds: Wall-clock training time.
        extras: Anything else a recipe returns for plots (baselines, held-out tensors).
    """

    model: nn.Module
    history: History
    metrics: dict[str, float]
    seconds: float
    extras: dict = field(default_factory=dict)
