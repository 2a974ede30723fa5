"""Fixtures of the browser tests: one headless Chromium for the whole run, a screenshot folder
per test module (printed, for a person to look at)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.site.chromium import ARGS, CHROMIUM


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is missing: apt-get install chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1] + "-screenshots")
    print(f"\nscreenshots: {folder}")
    return folder
