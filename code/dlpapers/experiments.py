"""Deprecated since 0.2: each paper's recipe now lives in its folder.

``dlpapers.experiments.train_vit`` is :func:`dlpapers.vit.experiment.train_vit` (likewise
``train_aae``, ``train_mdn``), and ``Run`` is :class:`dlpapers.train.Run`. The old names still
work, with a ``DeprecationWarning``, until 0.3.
"""

from dlpapers._moved import forwarder

__getattr__ = forwarder(__name__, {
    "Run": "dlpapers.train:Run",
    "train_vit": "dlpapers.vit.experiment:train_vit",
    "ShiftedBatches": "dlpapers.vit.experiment:ShiftedBatches",
    "train_aae": "dlpapers.aae.experiment:train_aae",
    "train_mdn": "dlpapers.mdn.experiment:train_mdn",
    "JitteredBatches": "dlpapers.mdn.experiment:JitteredBatches",
})
