"""Shared pytest set-up.

- The repository root goes on ``sys.path`` (for ``tests.health``); torch uses one thread.
- ``built_site``: the site built once per test session with ``mkdocs build --strict`` (notebooks
  executed, or taken from the execution cache when neither they nor the package changed).
- ``served_site``: that build served on 127.0.0.1 for the browser tests.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

torch.set_num_threads(1)  # the tests use tiny models: threads cost more than they bring


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    log: str
    seconds: float


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    if os.environ.get("DLPAPERS_SITE"):  # reuse a site you built yourself (debugging only)
        return BuiltSite(Path(os.environ["DLPAPERS_SITE"]), "", 0.0)
    site = tmp_path_factory.mktemp("site") / "site"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        # served at the root here, as `make serve` does (the deployed site_url has a path)
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/"},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{log[-6000:]}")
    return BuiltSite(site, log, seconds)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output readable
        pass


@pytest.fixture(scope="session")
def served_site(built_site):
    """Base URL (``http://127.0.0.1:PORT``) of the built site, served from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(built_site.path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
