"""Grade one file against one exercise: run its hidden tests in-process, the student's code in the sandbox."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
import time
import warnings
from pathlib import Path

from grader import course
from grader.engine.diagnose import diagnose
from grader.engine.constraints import check_constraints
from grader.engine.results import AttemptResult, TestOutcome, now
from grader.errors import GraderError, UsageProblem
from grader.course.manifest import Exercise
from grader.sandbox.client import Limits, Sandbox
from grader.startup import trusted_threads

MAX_SOURCE_BYTES = 1_000_000


def new_seed() -> int:
    return secrets.randbelow(2**31 - 1)


def read_source(path: Path) -> tuple[str, bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageProblem(f"No such file: {path}. Check the path, or run 'grade reset' to restore the stub.") from None
    except IsADirectoryError:
        raise UsageProblem(f"{path} is a folder; pass the exercise's .py file.") from None
    except OSError as exc:
        raise UsageProblem(f"Cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_SOURCE_BYTES:
        raise UsageProblem(f"{path} is {len(raw) // 1024} KB; an exercise file must be under "
                           f"{MAX_SOURCE_BYTES // 1000} KB.")
    return raw.decode("utf-8", errors="replace"), raw


# pytest plugins a grading never uses, kept out: each is registered (its module scanned for
# fixtures) and most wrap every test phase, on every grading. Hidden tests are plain functions
# using our fixtures (engine/fixtures.py); pytest's monkeypatch and tmp_path stay for exercise
# authors (tests/test_engine.py checks both).
UNUSED_PLUGINS = (
    "cacheprovider", "terminal", "stepwise", "pastebin", "junitxml", "doctest", "debugging", "unittest",
    "legacypath", "recwarn", "setuponly", "setupplan", "faulthandler", "subtests",
    # Both run gc.collect() at teardown, a walk of torch's whole heap on every grading.
    "unraisableexception", "threadexception",
    # Without it nothing is rewritten: a failure's message is the check's own words, never the
    # hidden test's source.
    "assertion",
    # Nothing to capture or report: hidden tests print and log nothing, the student's output is the
    # worker's, and warnings are ignored (_quiet_pytest).
    "capture", "logging", "warnings",
)


def _pytest_args(test_file: Path) -> list[str]:
    blocked = [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]
    return [
        str(test_file),
        "-c", str(course.HIDDEN_TESTS_DIR / "pytest.ini"),
        "--rootdir", str(course.HIDDEN_TESTS_DIR),
        *blocked,
        "--import-mode=importlib",
    ]


@contextlib.contextmanager
def _quiet_pytest():
    """Keep pytest's own plugins out and its output (and any warning a check raises) off our
    stdout and stderr: --json prints one object, and the student reads only the feedback."""
    saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield sink
    finally:
        if saved is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved


def _forget_foreign_module(test_file: Path) -> None:
    """pytest's importlib mode reuses sys.modules[<file stem>]; make sure that is this hidden file.

    In a long-lived process (watch, the test suite) another module with the same bare name
    would otherwise be run in place of the hidden tests.
    """
    import sys

    existing = sys.modules.get(test_file.stem)
    if existing is not None and Path(getattr(existing, "__file__", "") or "").resolve() != test_file.resolve():
        del sys.modules[test_file.stem]


def limits_for(exercise: Exercise) -> Limits:
    return Limits(memory_mb=exercise.memory_mb, cpu_s=int(exercise.timeout_s) + 5)


def grade_file(exercise: Exercise, student_file: Path, *, seed: int | None = None,
               sandbox: Sandbox | None = None) -> AttemptResult:
    """Run the exercise's hidden tests against `student_file`. Never imports the student's code.

    `sandbox`: the caller's warm sandbox (a command's, see AppContext.sandbox); None starts one
    for this grading alone."""
    trusted_threads()
    import pytest

    from grader.engine import fixtures
    from grader.engine.plugin import GradingRun

    started = time.monotonic()
    source, raw = read_source(student_file)
    seed = new_seed() if seed is None else seed
    result = AttemptResult(
        exercise=exercise.name, slug=exercise.slug, title=exercise.title, seed=seed,
        started_at=now(), targets=dict(exercise.targets),
        source_sha256=hashlib.sha256(raw).hexdigest(), file=str(student_file),
    )
    own_sandbox = sandbox is None
    sandbox = sandbox or Sandbox()
    sandbox.warm()
    run = GradingRun(exercise, student_file, source, seed, sandbox, limits_for(exercise))
    test_file = course.HIDDEN_TESTS_DIR / exercise.tests
    _forget_foreign_module(test_file)
    try:
        if sandbox.ready():
            run.prestart()  # a warm worker imports the student's file while pytest collects
        with _quiet_pytest() as sink:
            code = pytest.main(_pytest_args(test_file), plugins=[run, fixtures])
    except KeyboardInterrupt:
        run.interrupted = True
        code = pytest.ExitCode.INTERRUPTED
    finally:
        for session in run.sessions:
            session.close()
        if own_sandbox:
            sandbox.close()
    if code in (pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR) or (
        code == pytest.ExitCode.NO_TESTS_COLLECTED
    ) or (code == pytest.ExitCode.INTERRUPTED and not run.interrupted):
        raise GraderError(f"the hidden tests for {exercise.name} could not run (pytest exit {int(code)}); "
                          f"this is a grader bug, please report it.\n{sink.getvalue()[-1500:]}")
    if not run.order:
        raise GraderError(f"the hidden tests for {exercise.name} failed to load; this is a grader bug.\n"
                          f"{sink.getvalue()[-1500:]}")

    for nodeid in run.order:
        outcome = run.outcomes.get(nodeid)
        if outcome is None:  # not reached: interrupted, or the exercise ran out of time
            outcome = TestOutcome(nodeid.rsplit("::", 1)[-1], "error", 0.0, run.points[nodeid],
                                  message="not run: grading was interrupted")
        result.tests.append(outcome)
    if not run.interrupted:
        result.tests.extend(check_constraints(exercise.constraints, source))
    result.metrics = dict(run.recorded.metrics)
    result.trace = list(run.recorded.trace)
    result.complete = not run.interrupted
    if run.interrupted:
        result.status_message = "grading was interrupted; these results are partial"
    result.diagnoses = diagnose(result.tests)
    result.duration_s = time.monotonic() - started
    return result
