"""dlpapers: the Day 9 office hour's three paper assignments, implemented as a reference.

Modules (import what you need; nothing heavy is imported here):

- :mod:`dlpapers.data`: offline data (scikit-learn's digits, MNIST from your IDX files, Bishop's
  inverted sinusoid).
- :mod:`dlpapers.vit`, :mod:`dlpapers.aae`, :mod:`dlpapers.mdn`: the three models.
- :mod:`dlpapers.train`: the one training loop and checkpoints.
- :mod:`dlpapers.experiments`: the recipes the CLI, the notebooks and the benchmarks share.
- :mod:`dlpapers.sampling`: inverse transform sampling and the PIT.
- :mod:`dlpapers.metrics` and :mod:`dlpapers.plots`: numbers and figures.
"""

__version__ = "0.1.0"
