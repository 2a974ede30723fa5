"""Exercises that check themselves: a learner writes a key function, the checker says what is wrong.

Each paper keeps its own exercises next to its code (``dlpapers.vit.exercises`` and so on): the
task, the starter, the reference, the checks and the known mistakes. This module is the shared part:
the registry, the :class:`Checker` the checks talk to, and :func:`check`, which runs a learner's
function in a separate, forked process with a time limit, so that an exception, a crash or an
endless loop in their code becomes one clear line of the report instead of a traceback here.

In a notebook: ``check("vit-patchify", patchify)``; in a terminal:
``python -m dlpapers check vit-patchify [exercises/vit_patchify.py]``.

A check compares the learner's output with the reference on seeded random inputs. When they
differ, the report says how (shape, largest difference, where), and names the mistake and its fix
when the output equals that of a known wrong variant (a :class:`Mistake`).
"""

from __future__ import annotations

import importlib
import importlib.util
import multiprocessing
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch.distributions import Distribution

PAPERS = ("vit", "aae", "mdn")  # each has a module dlpapers.<paper>.exercises with EXERCISES
NOT_IMPLEMENTED = "not implemented yet"
HINT = "→ known mistake: "


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: a function with the exercise's signature, its name and the fix."""

    name: str
    fix: str
    wrong: Callable


@dataclass(frozen=True)
class Exercise:
    """One exercise: what the learner writes, how it is checked, what it practises."""

    id: str
    paper: str
    function: str  # the name the learner's function must have
    signature: str  # e.g. "patchify(images: Tensor, patch_size: int) -> Tensor"
    task: str  # the task as the starter's docstring states it
    concept: str
    difficulty: int  # 1 (one line) to 3 (a whole part)
    reference: Callable
    checks: Callable[[Checker], None]
    mistakes: tuple[Mistake, ...] = ()
    imports: str = "import torch\nfrom torch import Tensor\n"  # the starter's

    @property
    def filename(self) -> str:
        """Where ``python -m dlpapers exercise start`` writes the starter."""
        return self.id.replace("-", "_") + ".py"

    def starter(self) -> str:
        """The starter file: imports, the signature, the task, ``raise NotImplementedError``."""
        first, *rest = self.task.strip().splitlines()  # a summary line, a blank line, the rest
        task = "\n".join([first, "", *(("    " + line).rstrip() for line in rest)])
        return (
            f'"""Exercise {self.id} ({self.paper}): {self.concept}.\n\n'
            f"Check your answer: python -m dlpapers check {self.id} exercises/{self.filename}\n"
            f'"""\n\n{self.imports}\n\n'
            f'def {self.signature}:\n    """{task.strip()}\n    """\n'
            "    raise NotImplementedError\n"
        )


class _Stop(Exception):
    """Raised inside the checks to end them early (the learner's code raised)."""


@dataclass
class Checker:
    """What a paper's checks use: call the learner's function, compare, report one line a check."""

    exercise: Exercise
    function: Callable
    send: Callable[[bool, str], None]
    named: set[str] = field(default_factory=set)

    def record(self, passed: bool, what: str, details: list[str] = ()) -> bool:
        lines = [f"{'✓' if passed else '✗'} {what}"]
        for line in () if passed else details:  # a mistake's fix is given once, then its name
            name = line.removeprefix(HINT).split(". ")[0] if line.startswith(HINT) else None
            lines.append(f"→ the same mistake: {name}" if name in self.named else line)
            if name:
                self.named.add(name)
        self.send(passed, "\n".join(lines))
        return passed

    def call(self, what: str, *args):
        """The learner's function on ``args``; if it raises, report that as the failed check."""
        try:
            return self.function(*args)
        except NotImplementedError:
            self.record(False, what, [f"{NOT_IMPLEMENTED}: `{self.exercise.function}` still raises "
                                      "NotImplementedError. Write its body, then check again."])
            raise _Stop from None
        except Exception as error:  # the learner's bug, not ours: show where it happened
            frames = [f for f in traceback.extract_tb(error.__traceback__)
                      if not f.filename.startswith(str(Path(__file__).parent))]
            where = f" (line {frames[-1].lineno} of {Path(frames[-1].filename).name}: " \
                    f"`{(frames[-1].line or '').strip()}`)" if frames else ""
            self.record(False, what, [f"your function raised {type(error).__name__}: "
                                      f"{error}{where}"])
            raise _Stop from None

    def hint(self, got, args) -> list[str]:
        """The line that names the known mistake whose output ``got`` equals, if any."""
        for mistake in self.exercise.mistakes:
            try:
                if _same(got, mistake.wrong(*args)):
                    return [f"{HINT}{mistake.name}. {mistake.fix}"]
            except Exception:  # a variant that cannot run on these inputs is not this mistake
                continue
        return []

    def tensor(self, what: str, got, shape: tuple[int, ...], args: tuple = ()) -> bool:
        """True if ``got`` is a tensor of ``shape``; else report the failed check (and a hint)."""
        if not isinstance(got, torch.Tensor):
            return self.record(False, what, [f"expected a torch.Tensor, got {type(got).__name__}"])
        if tuple(got.shape) != tuple(shape):
            return self.record(False, what, [f"expected shape {tuple(shape)}, got "
                                             f"{tuple(got.shape)}", *self.hint(got, args)])
        return True

    def compare(self, what: str, got, expected: torch.Tensor, args: tuple, *,
                rtol: float = 1e-5, atol: float = 1e-6) -> bool:
        """One check: ``got`` equals ``expected`` (the reference on ``args``) within tolerance."""
        if not self.tensor(what, got, expected.shape, args):
            return False
        got_, expected_ = got.detach().double(), expected.detach().double()
        close = torch.isclose(got_, expected_, rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            return self.record(True, what)
        if got_.ndim == 0:
            return self.record(False, what, [f"expected {expected_.item():.6g}, got "
                                             f"{got_.item():.6g}", *self.hint(got, args)])
        bad_finite = ~torch.isfinite(got_) & torch.isfinite(expected_)
        if bad_finite.any():
            kind = "NaN" if torch.isnan(got_[bad_finite]).any() else "inf"
            return self.record(False, what, [
                f"your output has {kind} at {int(bad_finite.sum())} of {got_.numel()} positions "
                f"(first at {_positions(bad_finite)}) where the answer is finite",
                *self.hint(got, args)])
        difference = (got_ - expected_).abs()
        details = [f"max abs difference {difference.max().item():.3g}; "
                   f"{int((~close).sum())} of {close.numel()} values differ, "
                   f"first at {_positions(~close)}", *self.hint(got, args)]
        return self.record(False, what, details)

    def expect(self, what: str, passed: bool, details: list[str] = ()) -> bool:
        """A check that is a property (rows sum to 1, increasing, ...), with its explanation."""
        return self.record(bool(passed), what, details)


def _positions(mask: torch.Tensor, count: int = 3) -> str:
    where = [tuple(int(i) for i in index) for index in mask.nonzero()[:count]]
    return ", ".join(str(w[0] if len(w) == 1 else w) for w in where)


def _same(a, b) -> bool:
    """Equal outputs (tensors, tuples of them, distributions by their mean and variance)."""
    if isinstance(a, Distribution) and isinstance(b, Distribution):
        a, b = (a.mean, a.variance), (b.mean, b.variance)
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)) or a.shape != b.shape:
        return False
    return bool(torch.isclose(a.detach().double(), b.detach().double(), rtol=1e-5, atol=1e-6,
                              equal_nan=True).all())


def registry() -> dict[str, Exercise]:
    """Every exercise by id, in the order of the papers."""
    modules = [importlib.import_module(f"dlpapers.{paper}.exercises") for paper in PAPERS]
    return {exercise.id: exercise for module in modules for exercise in module.EXERCISES}


def get(exercise_id: str) -> Exercise:
    """The exercise with id ``exercise_id``; a ValueError lists the ids if there is none."""
    exercises = registry()
    if exercise_id not in exercises:
        raise ValueError(f"no exercise {exercise_id!r}: choose one of {', '.join(exercises)}")
    return exercises[exercise_id]


@dataclass
class Report:
    """The result of :func:`check`: one ``(passed, text)`` line a check."""

    exercise: str
    lines: list[tuple[bool, str]]

    @property
    def passed(self) -> bool:
        return bool(self.lines) and all(ok for ok, _ in self.lines)

    def __str__(self) -> str:
        body = ["  " + text.replace("\n", "\n      ") for _, text in self.lines]
        good = sum(ok for ok, _ in self.lines)
        verdict = "all passed." if self.passed else "not yet."
        return "\n".join([f"{self.exercise}:", *body, f"{good} of {len(self.lines)} checks "
                          f"passed: {verdict}"])

    def __repr__(self) -> str:
        return f"Report({self.exercise!r}, passed={self.passed})"


def load(exercise: Exercise, path: str | Path) -> Callable:
    """The learner's function from their file; a readable ValueError if it cannot be had."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"there is no file {path}: run `python -m dlpapers exercise start "
                         f"{exercise.id}` first, or give the path of your file")
    spec = importlib.util.spec_from_file_location(f"learner_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        raise ValueError(f"{path} has a syntax error at line {error.lineno}: {error.msg}") from None
    except Exception as error:
        raise ValueError(f"{path} raised {type(error).__name__} while loading: {error}") from None
    function = getattr(module, exercise.function, None)
    if not callable(function):
        raise ValueError(f"{path} defines no function `{exercise.function}`: keep the name "
                         f"and signature `{exercise.signature}`")
    return function


def _run_checks(exercise: Exercise, target, send) -> None:
    """In the child process: load the learner's code, run every check, send each line."""
    torch.manual_seed(0)
    try:
        function = target if callable(target) else load(exercise, target)
        exercise.checks(Checker(exercise, function, send))
    except ValueError as error:  # from load: no file, a syntax error, no such function
        send(False, f"✗ cannot check: {error}")
    except _Stop:
        pass


def _child(exercise: Exercise, target, connection) -> None:
    torch.set_num_threads(1)
    try:
        _run_checks(exercise, target, lambda ok, text: connection.send((ok, text)))
    except BaseException as error:  # noqa: BLE001 - the learner's code can raise anything
        connection.send((False, f"✗ your code stopped the checks: {type(error).__name__}: {error}"))
    finally:
        connection.send(None)
        connection.close()


def run(exercise_id: str, target: Callable | str | Path, timeout: float = 10.0) -> Report:
    """Run the checks of ``exercise_id`` on ``target`` (a function or a file); no printing.

    The checks run in a forked process that is killed after ``timeout`` seconds (where ``fork``
    does not exist, as on Windows, they run in this process without a time limit).
    """
    exercise, lines = get(exercise_id), []
    if "fork" not in multiprocessing.get_all_start_methods():
        _run_checks(exercise, target, lambda ok, text: lines.append((ok, text)))
        return Report(exercise_id, lines)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(exercise, target, send), daemon=True)
    with warnings.catch_warnings():  # Python 3.12+ warns of fork in a process with threads
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    send.close()
    deadline, finished = time.monotonic() + timeout, False
    while not finished:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receive.poll(remaining):
            process.kill()
            lines.append((False, f"✗ time limit: your code ran for more than {timeout:g} s "
                                 "(an endless loop, or far too much work?) and was stopped"))
            break
        try:
            message = receive.recv()
        except EOFError:
            process.join(5)
            lines.append((False, f"✗ your code ended the Python process (exit code "
                                 f"{process.exitcode}) before the checks finished"))
            break
        finished = message is None
        if not finished:
            lines.append(message)
    process.join(5)
    receive.close()
    return Report(exercise_id, lines)


def check(exercise_id: str, target: Callable | str | Path, timeout: float = 10.0) -> Report:
    """Check a learner's answer and print the report: one ✓/✗ line a check.

    Args:
        exercise_id: e.g. ``"vit-patchify"``; ``python -m dlpapers exercises`` lists them.
        target: Your function, or the path of the file that defines it.
        timeout: Seconds before the checks are stopped (an endless loop).

    Returns:
        The :class:`Report`; ``report.passed`` is True when every check passed.
    """
    report = run(exercise_id, target, timeout)
    print(report)
    return report
