"""Dependencies: pyproject.toml declares ranges, constraints.txt pins the set we test with."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirements() -> list[Requirement]:
    declared = PROJECT["dependencies"] + [
        line for extra in PROJECT["optional-dependencies"].values() for line in extra
    ]
    return [r for r in map(Requirement, declared) if canonicalize_name(r.name) != "dlpapers"]


def pins() -> dict[str, Version]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line).groups()
            found[canonicalize_name(name)] = Version(version)
    return found


def test_every_dependency_is_pinned_and_its_pin_satisfies_the_declared_range():
    pinned = pins()
    missing = [str(r) for r in requirements() if canonicalize_name(r.name) not in pinned]
    assert not missing, f"add these to constraints.txt with an exact version: {missing}"
    outside = [f"{r} vs {pinned[canonicalize_name(r.name)]}" for r in requirements()
               if not r.specifier.contains(pinned[canonicalize_name(r.name)], prereleases=True)]
    assert not outside, f"constraints.txt pins versions outside pyproject's ranges: {outside}"


def test_pyproject_declares_ranges_not_exact_pins():
    exact = [str(r) for r in requirements()
             if any(s.operator in ("==", "===") for s in r.specifier)]
    assert not exact, f"pin exact versions in constraints.txt, not pyproject.toml: {exact}"


def test_torch_is_pinned_to_the_tested_cpu_build_and_allowed_a_range_for_users():
    assert pins()["torch"] == Version("2.13.0")
    torch = next(r for r in requirements() if r.name == "torch")
    assert torch.specifier.contains("2.4.0") and torch.specifier.contains("2.14.1")
