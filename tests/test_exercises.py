"""The shared exercise checker and its command line, as a learner meets them.

The checker runs the learner's code in a forked process with a time limit: whatever their code
does (raise, loop forever, exit, return rubbish), the report has one clear line and the command
exits non-zero, never with the checker's own traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from dlpapers import cli, exercises

ROOT = Path(__file__).resolve().parent.parent
IDS = ("vit-patchify", "vit-attention", "vit-block", "aae-losses", "mdn-nll", "mdn-head",
       "inverse-transform")


def cli_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m dlpapers ARGS`` in ``tmp_path``, as a learner types it."""
    return subprocess.run([sys.executable, "-m", "dlpapers", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)


def test_the_registry_holds_the_issue_s_exercises_with_their_signatures():
    registry = exercises.registry()
    assert set(IDS) <= set(registry)
    signatures = {e.id: e.signature for e in registry.values()}
    assert signatures["vit-patchify"] == "patchify(images: Tensor, patch_size: int) -> Tensor"
    assert signatures["vit-attention"] == "attention(q: Tensor, k: Tensor, v: Tensor) -> Tensor"
    assert signatures["mdn-nll"].startswith("mdn_nll(logit_pi: Tensor, mu: Tensor, sigma: Tensor")
    assert signatures["inverse-transform"] == "exponential_icdf(u: Tensor, rate: float) -> Tensor"
    assert signatures["aae-losses"].startswith("regularization_losses(d_real: Tensor, d_fake")


def test_an_unknown_id_is_a_value_error_that_lists_the_ids():
    with pytest.raises(ValueError, match="choose one of vit-patchify"):
        exercises.get("vit-patchfy")


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_reference_passes_every_check_within_five_seconds(exercise_id):
    exercise = exercises.get(exercise_id)
    start = time.perf_counter()
    report = exercises.run(exercise_id, exercise.reference)
    seconds = time.perf_counter() - start
    assert report.passed, str(report)
    assert len(report.lines) >= 3, "an exercise checks at least three things"
    assert seconds < 5, f"{exercise_id} took {seconds:.1f} s"


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_known_mistake_differs_from_the_reference(exercise_id):
    """A mistake that the checks cannot tell from the answer would be a wrong hint."""
    report = exercises.run(exercise_id, exercises.get(exercise_id).reference)
    assert "known mistake" not in str(report)
    for mistake in exercises.get(exercise_id).mistakes:
        wrong = exercises.run(exercise_id, mistake.wrong)
        assert not wrong.passed, f"{mistake.name} passes every check"
        text = str(wrong)
        assert f"→ known mistake: {mistake.name}. {mistake.fix}" in text, text
        first_named = text.index(f"→ known mistake: {mistake.name}")
        assert f"→ the same mistake: {mistake.name}" not in text[:first_named], "fix said later"


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_starter_fails_with_not_implemented_yet(tmp_path, exercise_id):
    path = cli.start_exercise(exercise_id, tmp_path)
    report = exercises.run(exercise_id, path)
    assert not report.passed
    assert exercises.NOT_IMPLEMENTED in str(report)
    assert "Traceback" not in str(report)


def test_the_report_is_the_same_on_every_run():
    wrong = exercises.get("vit-patchify").mistakes[0].wrong
    assert str(exercises.run("vit-patchify", wrong)) == str(exercises.run("vit-patchify", wrong))


def test_a_failure_says_shape_difference_and_positions():
    def transposed(images, patch_size):
        return exercises.get("vit-patchify").reference(images, patch_size).transpose(1, 2)

    def off_by_one(images, patch_size):
        out = exercises.get("vit-patchify").reference(images, patch_size).clone()
        out[0, 1, 2] += 1.0
        return out

    assert "expected shape (2, 16, 12), got (2, 12, 16)" in str(exercises.run("vit-patchify",
                                                                                transposed))
    report = str(exercises.run("vit-patchify", off_by_one))
    assert "max abs difference 1;" in report
    assert "1 of 384 values differ, first at (0, 1, 2)" in report


@pytest.mark.parametrize("body, message", [
    ("return [1, 2, 3]", "expected a torch.Tensor, got list"),
    ("return torch.full((2, 16, 12), float('nan'))", "your output has NaN at 384 of 384 positions"),
    ("return 1 / 0", "your function raised ZeroDivisionError: division by zero (line 5"),
    ("raise NotImplementedError", "not implemented yet"),
])
def test_a_broken_answer_gets_one_clear_line(tmp_path, body, message):
    path = tmp_path / "answer.py"
    path.write_text(f"import torch\n\n\ndef patchify(images, patch_size):\n    {body}\n")
    report = str(exercises.run("vit-patchify", path))
    assert message in report
    assert "Traceback" not in report


def test_a_function_in_a_notebook_is_checked_in_a_child_process_with_a_time_limit():
    def endless(images, patch_size):
        while True:
            pass

    start = time.perf_counter()
    report = exercises.run("vit-patchify", endless, timeout=1.0)
    assert time.perf_counter() - start < 5
    assert not report.passed
    assert "time limit: your code ran for more than 1 s" in str(report)


def test_exiting_the_process_is_reported_not_obeyed():
    def leave(images, patch_size):
        import os

        os._exit(3)

    report = exercises.run("vit-patchify", leave)
    assert "ended the Python process (exit code 3)" in str(report)


def test_check_prints_the_report_and_returns_it(capsys):
    report = exercises.check("inverse-transform", exercises.get("inverse-transform").reference)
    printed = capsys.readouterr().out
    assert report.passed and printed.strip() == str(report)
    assert printed.count("✓") == len(report.lines) and "all passed." in printed


# --- the command line ------------------------------------------------------------------------


def test_the_learner_s_path_in_a_terminal(tmp_path):
    listed = cli_run(tmp_path, "exercises")
    assert listed.returncode == 0
    assert all(f"{i}" in listed.stdout for i in IDS) and "not started" in listed.stdout

    started = cli_run(tmp_path, "exercise", "start", "inverse-transform")
    assert started.returncode == 0, started.stderr
    starter = tmp_path / "exercises" / "inverse_transform.py"
    assert "def exponential_icdf(u: Tensor, rate: float) -> Tensor:" in starter.read_text()
    assert "raise NotImplementedError" in starter.read_text()

    failing = cli_run(tmp_path, "check", "inverse-transform")
    assert failing.returncode == 1 and "not implemented yet" in failing.stdout

    starter.write_text(starter.read_text().replace("raise NotImplementedError",
                                                   "return -torch.log1p(-u) / rate"))
    passing = cli_run(tmp_path, "check", "inverse-transform")
    assert passing.returncode == 0, passing.stdout
    assert "inverse-transform  mdn  passing" in cli_run(tmp_path, "exercises").stdout


def test_start_never_overwrites_an_answer(tmp_path):
    assert cli_run(tmp_path, "exercise", "start", "vit-patchify").returncode == 0
    answer = tmp_path / "exercises" / "vit_patchify.py"
    answer.write_text("# my answer\n")
    again = cli_run(tmp_path, "exercise", "start", "vit-patchify")
    assert again.returncode != 0 and "already exists" in again.stderr
    assert answer.read_text() == "# my answer\n"


def test_check_on_a_syntax_error_exits_non_zero_with_the_line(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def patchify(images, patch_size)\n    return images\n")
    result = cli_run(tmp_path, "check", "vit-patchify", str(path))
    assert result.returncode == 1
    assert "broken.py has a syntax error at line 1" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_on_an_endless_loop_exits_non_zero_after_the_time_limit(tmp_path):
    path = tmp_path / "loop.py"
    path.write_text("def attention(q, k, v):\n    while True:\n        pass\n")
    result = cli_run(tmp_path, "check", "vit-attention", str(path), "--timeout", "1")
    assert result.returncode == 1
    assert "time limit" in result.stdout and "Traceback" not in result.stdout + result.stderr


def test_check_names_a_missing_function_and_a_missing_file(tmp_path):
    path = tmp_path / "other.py"
    path.write_text("def patchify_images(images, patch_size):\n    return images\n")
    missing = cli_run(tmp_path, "check", "vit-patchify", str(path))
    assert missing.returncode == 1 and "defines no function `patchify`" in missing.stdout
    nofile = cli_run(tmp_path, "check", "vit-patchify")
    assert nofile.returncode == 1 and "exercise start vit-patchify" in nofile.stdout


def test_the_shipped_starter_file_is_valid_python_with_the_task(tmp_path):
    for exercise in exercises.registry().values():
        text = exercise.starter()
        namespace: dict = {}
        exec(compile(text, exercise.filename, "exec"), namespace)  # noqa: S102 - our own starter
        assert callable(namespace[exercise.function])
        assert exercise.task.splitlines()[0] in text
        assert f"python -m dlpapers check {exercise.id}" in text


def test_torch_is_left_as_it_was():
    """Checking in a child process leaves the caller's random state and functions alone."""
    import torch.nn.functional as F

    fused = F.scaled_dot_product_attention
    torch.manual_seed(123)
    before = torch.rand(1)
    torch.manual_seed(123)
    exercises.run("vit-attention", exercises.get("vit-attention").reference)
    assert torch.equal(torch.rand(1), before)
    assert F.scaled_dot_product_attention is fused
