"""Deprecated since 0.2: inverse transform sampling belongs to the MDN assignment.

Everything that was here is in :mod:`dlpapers.mdn.sampling`, under the same names. The old path
still works, with a ``DeprecationWarning``, until 0.3.
"""

from dlpapers._moved import forwarder

__getattr__ = forwarder(__name__, {
    name: f"dlpapers.mdn.sampling:{name}"
    for name in ("uniform", "bisect_icdf", "quantile", "inverse_transform_sample", "pit",
                 "empirical_quantile")
})
