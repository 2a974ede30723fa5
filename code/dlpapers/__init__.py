"""dlpapers: the Day 9 office hour's three paper assignments, implemented as a reference.

One folder per paper, each with the same rooms: ``model`` (config and modules), ``experiment``
(the recipe that trains it), ``plots`` (its figures):

- :mod:`dlpapers.vit`: Vision Transformer (Dosovitskiy et al., 2021);
- :mod:`dlpapers.aae`: Adversarial Autoencoder (Makhzani et al., 2015);
- :mod:`dlpapers.mdn`: Mixture Density Network (Bishop, 1994), with inverse transform sampling
  (:mod:`dlpapers.mdn.sampling`).

Shared by all three, flat: :mod:`dlpapers.data` (offline data and splits), :mod:`dlpapers.train`
(the one training loop, checkpoints, the :class:`~dlpapers.train.Run` record),
:mod:`dlpapers.metrics` (what more than one paper measures) and :mod:`dlpapers.cli`
(``python -m dlpapers ...``). Dependencies flow one way: ``cli`` -> a paper's ``experiment`` ->
its ``model`` + the shared modules; a paper never imports another. Nothing heavy is imported here.
"""

__version__ = "0.2.0"
