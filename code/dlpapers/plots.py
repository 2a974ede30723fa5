"""Deprecated since 0.2: each paper's figures now live in its folder, without the paper prefix.

``dlpapers.plots.vit_attention`` is :func:`dlpapers.vit.plots.attention`, ``mdn_density`` is
:func:`dlpapers.mdn.plots.density`, ``aae_losses`` is :func:`dlpapers.aae.plots.losses`, and so
on. The old names still work, with a ``DeprecationWarning``, until 0.3.
"""

from dlpapers._moved import forwarder

_MOVED = {
    "vit_patches": "dlpapers.vit.plots:patches",
    "vit_position_similarity": "dlpapers.vit.plots:position_similarity",
    "vit_attention": "dlpapers.vit.plots:attention",
    "vit_training": "dlpapers.vit.plots:training",
    "confusion_matrix": "dlpapers.vit.plots:confusion_matrix",
    "latent_codes": "dlpapers.aae.plots:latent_codes",
    "image_grid": "dlpapers.aae.plots:image_grid",
    "latent_manifold": "dlpapers.aae.plots:latent_manifold",
    "reconstructions": "dlpapers.aae.plots:reconstructions",
    "aae_losses": "dlpapers.aae.plots:losses",
    "inverse_transform": "dlpapers.mdn.plots:inverse_transform",
    "pit_histogram": "dlpapers.mdn.plots:pit_histogram",
    "empirical_resample": "dlpapers.mdn.plots:empirical_resample",
}
_MOVED |= {f"mdn_{name}": f"dlpapers.mdn.plots:{name}"
           for name in ("baselines", "density", "weights", "samples", "training", "slices")}
__getattr__ = forwarder(__name__, _MOVED)
