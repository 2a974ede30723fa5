"""The ViT recipe: which data, optimiser and schedule train :class:`~dlpapers.vit.ViT`.

The command line (``python -m dlpapers train vit``), the notebook and ``benchmarks/bench_vit.py``
all call :func:`train_vit`, so a number on the site and a number in a terminal come from the same
code.
"""

from __future__ import annotations

import time

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from dlpapers import data, metrics
from dlpapers.train import Run, fit, pick_device, seed_everything, supervised_step
from dlpapers.vit import plots
from dlpapers.vit.model import ViT, ViTConfig


class ShiftedBatches:
    """Shuffled minibatches of ``(x, y)`` whose images move by up to ``max_shift`` pixels.

    Each image is zero-padded by ``max_shift`` on every side and cropped back at a random offset,
    a new one per image and per epoch, drawn from one seeded generator. Digits are centred on a
    black background, so a 1-pixel shift keeps the label and shows the ViT (which, unlike a CNN,
    has no translation equivariance built in) the same digit at other patch boundaries.
    """

    def __init__(self, x, y, *, batch_size: int, max_shift: int, seed: int) -> None:
        self.x, self.y, self.batch_size, self.max_shift = x, y, batch_size, max_shift
        self.generator = torch.Generator().manual_seed(seed)

    def __len__(self) -> int:
        return -(-len(self.x) // self.batch_size)

    def shift(self, x: torch.Tensor) -> torch.Tensor:
        """``x: (b, c, h, w) -> (b, c, h, w)``, each image moved by its own random offset."""
        s = self.max_shift
        if s == 0:
            return x
        b, _, h, w = x.shape
        padded = F.pad(x, (s, s, s, s))
        dy, dx = torch.randint(0, 2 * s + 1, (2, b, 1, 1), generator=self.generator)
        rows = torch.arange(h).view(1, h, 1) + dy  # (b, h, 1)
        cols = torch.arange(w).view(1, 1, w) + dx  # (b, 1, w)
        # advanced indexing puts the indexed axes first: (b, h, w, c) -> (b, c, h, w)
        return padded[torch.arange(b).view(b, 1, 1), :, rows, cols].permute(0, 3, 1, 2)

    def __iter__(self):
        order = torch.randperm(len(self.x), generator=self.generator)
        for rows in order.split(self.batch_size):
            yield self.shift(self.x[rows]), self.y[rows]


def train_vit(
    config: ViTConfig | None = None,
    *,
    epochs: int = 60,
    seed: int = 0,
    device: str = "auto",
    progress: bool = True,
    batch_size: int = 64,
    lr: float = 2e-3,
    weight_decay: float = 0.05,
    warmup: float = 0.05,
    label_smoothing: float = 0.1,
    max_shift: int = 0,
    subset: int | None = None,
    validation_size: float = 0.2,
) -> Run:
    """Train a :class:`~dlpapers.vit.ViT` on the 8x8 digits; choose on validation, report test.

    The 1,347 training digits are split again (stratified): 1,077 train the model and 270 are
    the validation part, which is what the history logs after every epoch and what every choice
    of this recipe was made on. The 450 test digits are scored once, at the end.

    A ViT has little inductive bias, so on a thousand images it needs the regularisation that
    DeiT used at scale, in miniature: label smoothing, dropout, weight decay (AdamW) and a
    learning rate that warms up linearly for the first ``warmup`` fraction of the steps and then
    follows a cosine down to zero, stepped once per minibatch. Random 1-pixel shifts are
    available but off: the digits fill their 8x8 box, a shift cuts strokes off, and validation
    accuracy dropped (see the ViT page for the numbers).

    Args:
        config: The model's config; the default is patch 2 (16 tokens + class
            token), dim 64, depth 4, 4 heads, MLP 128, dropout 0.1.
        epochs: Passes over the training digits.
        seed: Seeds the weights, the shuffling, the shifts and dropout.
        device: See :func:`dlpapers.train.pick_device`.
        progress: Show the progress bar.
        batch_size: Minibatch size.
        lr: Peak learning rate of AdamW.
        weight_decay: AdamW's decoupled weight decay.
        warmup: Fraction of all steps spent warming up.
        label_smoothing: Passed to ``F.cross_entropy``.
        max_shift: Largest random shift in pixels (0, the default, turns augmentation off).
        subset: Train on the first ``subset`` training images only (quick tests).
        validation_size: Fraction of the 1,347 training digits held out for validation.

    Returns:
        A :class:`Run` with metrics ``val_accuracy`` (after the last epoch), ``test_accuracy``,
        ``test_loss`` and ``seconds``; the history has ``loss`` and ``val_accuracy`` per epoch
        (never the test set); ``extras`` holds the ``split`` (a :class:`~dlpapers.data.Split`)
        and the test ``predictions`` for plots.
    """
    config = config or ViTConfig()
    seed_everything(seed)
    if not 0.0 < validation_size < 1.0:
        raise ValueError(
            f"validation_size must lie strictly between 0 and 1 (every choice is made on the "
            f"validation part), got {validation_size}"
        )
    split = data.digits(validation_size=validation_size)
    if split.image_shape != (config.channels, config.image_size, config.image_size):
        raise ValueError(
            f"digits are {split.image_shape} (c, h, w): use ViTConfig(channels=1, image_size=8)"
        )
    x_train, y_train = split.x_train[:subset], split.y_train[:subset]
    batches = ShiftedBatches(x_train, y_train, batch_size=batch_size, max_shift=max_shift,
                             seed=seed)
    dev = pick_device(device)
    model = ViT(config).to(dev)
    # the fused kernel updates all 52 tensors at once: 4x faster than the loop on a CPU
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay,
                                  fused=dev.type in ("cpu", "cuda"))
    total = epochs * len(batches)
    ramp = max(1, round(warmup * total))
    schedule = torch.optim.lr_scheduler.SequentialLR(
        optimizer,
        [torch.optim.lr_scheduler.LinearLR(optimizer, 1e-3, 1.0, total_iters=ramp),
         torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, max(1, total - ramp))],
        milestones=[ramp],
    )

    def loss_fn(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return F.cross_entropy(logits, targets, label_smoothing=label_smoothing)

    x_val, y_val = split.x_val.to(dev), split.y_val.to(dev)

    def evaluate(m: nn.Module) -> dict[str, float]:
        return {"val_accuracy": metrics.accuracy(m(x_val), y_val)}

    start = time.perf_counter()
    history = fit(model, supervised_step(model, optimizer, loss_fn, scheduler=schedule), batches,
                  epochs=epochs, evaluate=evaluate, device=dev, progress=progress, desc="vit")
    seconds = time.perf_counter() - start
    with torch.no_grad():  # fit() leaves the model in eval mode
        logits = model(split.x_test.to(dev))
    y_test = split.y_test.to(dev)
    result = {
        "val_accuracy": history.last["val_accuracy"],
        "test_accuracy": metrics.accuracy(logits, y_test),
        "test_loss": F.cross_entropy(logits, y_test).item(),
        "seconds": seconds,
    }
    extras = {"split": split, "predictions": logits.argmax(dim=1).cpu()}
    return Run(model=model.cpu(), history=history, metrics=result, seconds=seconds, extras=extras)


def page_figures() -> dict[str, Figure]:
    """The ViT theory page's figures, drawn at build time (see ``hooks/figures.py``)."""
    split = data.digits()
    torch.manual_seed(0)
    model = ViT(ViTConfig()).eval()  # untrained: the pipeline figure shows shapes only
    return {
        "patches": plots.patches(split.x_test[0], model.config.patch_size),
        "pipeline": plots.pipeline(split.x_test[0], model),
        "pattern-names": plots.pattern_names(),
    }
