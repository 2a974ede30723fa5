"""What every browser test shares: Debian's Chromium, its flags, axe-core, and a skip mark.

The fixtures that use these (``browser``, ``shots``) are in ``tests/site/conftest.py``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium calls out (and is refused) at every start.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# axe-core from the npm install of `make install` (the 4.10 line that Lighthouse 12.2 bundles).
AXE = next(
    (p for p in (Path(sys.prefix) / "node_modules/axe-core/axe.min.js",
                 ROOT / ".venv/node_modules/axe-core/axe.min.js") if p.exists()),
    None,
)
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is missing: apt-get install chromium"
)
