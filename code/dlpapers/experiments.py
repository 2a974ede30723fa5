"""The recipes: which data, config, optimiser and schedule each assignment trains with.

The command line (``python -m dlpapers train ...``), the notebooks and the benchmarks all call
these functions, so a number on the site and a number in a terminal come from the same code.
Each ``train_*`` function seeds everything, builds the model from its config, trains it with
:func:`dlpapers.train.fit` and returns a :class:`Run`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from torch import nn

from dlpapers.train import History


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
