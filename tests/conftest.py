"""Shared pytest set-up: the repository root on sys.path (for ``tests.health``) and a quiet torch."""

from __future__ import annotations

import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

torch.set_num_threads(1)  # the tests use tiny models: threads cost more than they bring
