"""The reproducibility card: every row filled at run time, from the run's own environment."""

from __future__ import annotations

import json
import platform
import re
import subprocess
from importlib import metadata

import numpy as np
import pytest
import torch
from bs4 import BeautifulSoup

import dlpapers
from dlpapers import reproducibility


def test_the_card_records_the_environment_it_runs_in():
    card = reproducibility.card(reproducibility.start(), seeds={"train_vit": 0, "samples": 1})
    fields = card.fields
    assert list(fields) == list(reproducibility.LABELS)
    assert fields["dlpapers"] == dlpapers.__version__
    assert fields["python"] == platform.python_version()
    assert fields["torch"] == torch.__version__
    assert fields["numpy"] == np.__version__
    assert fields["threads"] == str(torch.get_num_threads())
    assert fields["seeds"] == "train_vit=0, samples=1"
    assert fields["device"].startswith("cpu (") and fields["device"] != "cpu ()"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", fields["date"])


def test_the_duration_counts_from_the_clock_not_from_the_card(monkeypatch):
    clock = reproducibility.start()
    monkeypatch.setattr(reproducibility.time, "perf_counter", lambda: clock.counter + 83.25)
    assert reproducibility.card(clock).fields["duration"] == "83.2 s"


def test_the_commit_is_this_checkout_and_marks_uncommitted_changes():
    commit = reproducibility.git_commit()
    head = subprocess.run(["git", "-C", str(reproducibility.PACKAGE_DIR), "rev-parse",
                           "--short=12", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert head and commit is not None and commit.removesuffix("+dirty") == head


def test_without_git_the_commit_comes_from_pips_direct_url(monkeypatch, tmp_path):
    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    class Distribution:
        def read_text(self, name):
            assert name == "direct_url.json"
            return json.dumps({"url": "https://github.com/o/r",
                               "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123"}})

    monkeypatch.setattr(reproducibility.subprocess, "run", no_git)
    monkeypatch.setattr(reproducibility.metadata, "distribution", lambda name: Distribution())
    assert reproducibility.git_commit(tmp_path) == "0123456789ab"

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(reproducibility.metadata, "distribution", missing)
    assert reproducibility.git_commit(tmp_path) is None
    assert reproducibility.card(reproducibility.start()).fields["commit"] == "unknown"


def test_a_seed_must_be_an_int():
    with pytest.raises(ValueError, match="seed 'train'"):
        reproducibility.card(reproducibility.start(), seeds={"train": "0"})


def test_the_html_card_is_a_table_with_one_labelled_row_per_field():
    card = reproducibility.card(reproducibility.start(), seeds={"s": 0})
    soup = BeautifulSoup(card._repr_html_(), "html.parser")
    rows = soup.select(".reproducibility-card tr[data-field]")
    assert [r["data-field"] for r in rows] == list(reproducibility.LABELS)
    assert all(r.th.get_text() and r.td.get_text() for r in rows)
    assert "torch threads" in str(card)
