"""Old import paths that version 0.2 moved into the paper folders keep working until 0.3.

A module that lost names gets a module-level ``__getattr__`` from :func:`forwarder`: reading an
old name imports it from its new home and warns once with a ``DeprecationWarning`` that says where
to import it from now.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from typing import Any


def forwarder(module: str, moved: dict[str, str]) -> Callable[[str], Any]:
    """A ``__getattr__`` for ``module`` whose names ``moved`` maps to ``"package.module:name"``."""

    def __getattr__(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        new_module, new_name = moved[name].split(":")
        warnings.warn(
            f"{module}.{name} moved in dlpapers 0.2: use `from {new_module} import {new_name}` "
            "(the old path goes away in 0.3)",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(new_module), new_name)

    return __getattr__
