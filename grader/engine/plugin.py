"""The pytest plugin that turns hidden-test outcomes into graded results.

Hidden tests run in this trusted process with assertion rewriting off, so a failure's message is
exactly what the check wrote — never the hidden test's source.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from grader.engine.results import TestOutcome
from grader.course.manifest import Exercise
from grader.sandbox.client import Limits, Sandbox, Session
from grader.sandbox.errors import SandboxFailure, StudentError, StudentLoadError, WorkerTimeout


@dataclass
class Recorded:
    metrics: dict[str, float] = field(default_factory=dict)
    trace: list[dict] = field(default_factory=list)


class GradingRun:
    """State for grading one file against one exercise's hidden tests; also the pytest plugin."""

    def __init__(self, exercise: Exercise, student_file: Path, source: str, seed: int,
                 sandbox: Sandbox, limits: Limits):
        self.exercise = exercise
        self.student_file = student_file
        self.source = source
        self.seed = seed
        self.sandbox = sandbox
        self.limits = limits
        self.recorded = Recorded()
        self.outcomes: dict[str, TestOutcome] = {}
        self.order: list[str] = []
        self.points: dict[str, float] = {}
        self.load_failure: SandboxFailure | None = None
        self.deadline = time.monotonic() + exercise.timeout_s
        self.interrupted = False
        self.sessions: list[Session] = []
        self.session: Session | None = None
        self._started: dict[str, float] = {}
        self._signals: dict[str, list[str]] = {}

    # -- used by fixtures ------------------------------------------------------------------
    def test_seed(self, nodeid: str) -> int:
        return (self.seed * 1_000_003 + zlib.crc32(nodeid.encode())) % (2**31 - 1)

    def prestart(self) -> None:
        """Start the worker and its import now, while pytest collects the hidden tests."""
        self.session = self._spawn(self.seed)
        self.session.send_load()

    def _spawn(self, seed: int) -> Session:
        started = time.monotonic()
        session = self.sandbox.session(self.student_file, self.exercise.module_name, seed, self.limits)
        # Waiting for the worker to start (a cold zygote imports torch) is not the student's time.
        self.deadline += time.monotonic() - started
        self.sessions.append(session)
        return session

    def open_session(self, nodeid: str) -> Session:
        """The exercise's worker with the student's module loaded, or the cached import failure.

        One worker serves all of an exercise's tests; a test that crashes it or runs out of
        time gets it killed, and the next test starts a fresh one.
        """
        if self.load_failure is not None:
            raise self.load_failure
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise WorkerTimeout(f"the exercise's total time limit ({self.exercise.timeout_s:g} s) "
                                "ran out before this test could start")
        budget = min(self.exercise.test_timeout_s, remaining)
        label = (f"the {budget:g} s limit per test" if budget == self.exercise.test_timeout_s
                 else f"the exercise's total time limit ({self.exercise.timeout_s:g} s)")
        session = self.session
        fresh = session is None or session.dead
        if fresh:
            session = self.session = self._spawn(self.test_seed(nodeid))
        session.begin_test(self.test_seed(nodeid), budget, label)
        if fresh or not session.defined:
            try:
                session.load()
            except StudentLoadError as exc:
                self.load_failure = exc
                raise
            except SandboxFailure as exc:
                # An import that hangs or kills the worker fails every test the same way; don't
                # pay the time limit again for each of them.
                self.load_failure = type(exc)(f"{exc} (while importing your file)")
                raise
        return session

    def signal(self, nodeid: str, signal: str) -> None:
        self._signals.setdefault(nodeid, []).append(signal)

    # -- pytest hooks ------------------------------------------------------------------------
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.order.append(item.nodeid)
            marker = item.get_closest_marker("points")
            self.points[item.nodeid] = float(marker.args[0]) if marker and marker.args else 1.0

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._started[item.nodeid] = time.monotonic()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        nodeid = item.nodeid
        if call.when == "call" or (call.when == "setup" and report.failed) or (
            call.when == "teardown" and report.failed and nodeid not in self.outcomes
        ):
            self.outcomes[nodeid] = self._outcome(item, call)

    def pytest_keyboard_interrupt(self, excinfo) -> None:
        self.interrupted = True

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(n): points a hidden test is worth")
        config.stash[RUN_KEY] = self
        # pytest's own failure report is never shown (feedback is built from call.excinfo and the
        # worker's frames); its default style parses every frame's source file: ~10 ms per failed test.
        config.option.tbstyle = "line"

    # -- classification --------------------------------------------------------------------------
    def _outcome(self, item: pytest.Item, call: pytest.CallInfo) -> TestOutcome:
        nodeid = item.nodeid
        max_score = self.points.get(nodeid, 1.0)
        duration = time.monotonic() - self._started.get(nodeid, time.monotonic())
        name = item.name
        signals = list(self._signals.get(nodeid, []))
        if call.excinfo is None:
            return TestOutcome(name, "passed", max_score, max_score, duration_s=duration, signals=signals)
        exc = call.excinfo.value
        errors: list[dict] = []
        if isinstance(exc, StudentError):
            status, message = "error", exc.render()
            errors.append({"type": exc.exc_type, "message": exc.exc_message})
        elif isinstance(exc, SandboxFailure):
            status, message = exc.status, str(exc)
        elif isinstance(exc, AssertionError):
            status = "failed"
            message = str(exc).strip() or "a hidden check failed"
            if getattr(exc, "signal", None):
                signals.append(exc.signal)
        elif isinstance(exc, pytest.skip.Exception):
            status, message = "failed", str(exc)
        else:
            # The check itself could not handle what came back (e.g. a model instead of a tensor).
            status = "error"
            message = (f"the grader could not check what your code returned "
                       f"({type(exc).__name__}: {str(exc)[:300]})")
        return TestOutcome(name, status, 0.0, max_score, message=message, duration_s=duration,
                           signals=signals, errors=errors)


RUN_KEY = pytest.StashKey[GradingRun]()
