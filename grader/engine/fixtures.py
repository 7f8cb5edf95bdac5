"""Fixtures available to every hidden test (registered as a pytest plugin by the runner).

- student:  the student's module; every attribute call runs in the exercise's sandboxed worker
- seed:     this test's seed (the attempt's seed mixed with the test's name)
- rng:      a torch.Generator seeded with `seed`, for the test's randomized inputs
- record:   metrics, per-epoch trace and target checks, computed here on trusted data
- exercise: the trusted manifest entry (targets, constraints)
- source:   the student's source text (read here, never imported)
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from grader.engine.plugin import RUN_KEY, GradingRun
from grader.course.manifest import Exercise
from grader.sandbox.client import Session


class StudentFunction:
    def __init__(self, session: Session, name: str):
        self._session, self._name = session, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._session.call(self._name, *args, label=self._name, **kwargs)

    def each(self, calls: list[tuple[tuple, dict]]) -> list[Any]:
        """One call per (args, kwargs), in order, in one round trip to the worker (see Session.call_each)."""
        return self._session.call_each(self._name, calls, label=self._name)

    def value(self) -> Any:
        """The module attribute itself (for constants the task asks for)."""
        return self._session.call(self._name, label=self._name, getattr_only=True)


class StudentModule:
    """The student's module, seen through the sandbox. Attribute access returns callables."""

    def __init__(self, session: Session):
        self._session = session

    def __getattr__(self, name: str) -> StudentFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._session, name)

    def defines(self, name: str) -> bool:
        return name in self._session.defined

    def output(self) -> str:
        return self._session.output(since=self._session.output_offset)


def _run(request: pytest.FixtureRequest) -> GradingRun:
    return request.config.stash[RUN_KEY]


@pytest.fixture
def student(request: pytest.FixtureRequest):
    run = _run(request)
    session = run.open_session(request.node.nodeid)
    try:
        yield StudentModule(session)
    finally:
        printed = session.output(since=session.output_offset)
        outcome = run.outcomes.get(request.node.nodeid)
        if outcome is not None and printed:
            outcome.output = printed


@pytest.fixture
def seed(request: pytest.FixtureRequest) -> int:
    return _run(request).test_seed(request.node.nodeid)


@pytest.fixture
def rng(seed: int):
    import torch

    return torch.Generator().manual_seed(seed)


@pytest.fixture
def exercise(request: pytest.FixtureRequest) -> Exercise:
    return _run(request).exercise


@pytest.fixture
def source(request: pytest.FixtureRequest) -> str:
    return _run(request).source


class MetricsRecorder:
    """Metrics and the training trace, computed on the trusted side and stored with the attempt."""

    def __init__(self, run: GradingRun, nodeid: str):
        self._run, self._nodeid = run, nodeid

    def metric(self, name: str, value: float) -> None:
        self._run.recorded.metrics[name] = float(value)

    def trace(self, epoch: int, loss: float, accuracy: float | None = None, note: str = "") -> None:
        self._run.recorded.trace.append(
            {"epoch": int(epoch), "loss": float(loss),
             "accuracy": None if accuracy is None else float(accuracy), "note": note}
        )

    def signal(self, name: str) -> None:
        """Name an autograd mistake seen by the test even though the test may still pass."""
        self._run.signal(self._nodeid, name)

    def targets(self, **observed: float) -> None:
        """Record metrics and fail, with every unmet target listed, unless the manifest's targets hold."""
        from grader.authoring.checks import Mismatch

        targets = self._run.exercise.targets
        missed, non_finite = [], False
        for name, value in observed.items():
            self.metric(name, value)
            if not math.isfinite(float(value)):
                non_finite = True
            target = targets.get(name)
            if target is not None and not target.met(float(value)):
                missed.append(f"{name} = {float(value):.4g}, target {target.describe(name)}")
        if missed:
            raise Mismatch("target not reached: " + "; ".join(missed),
                           signal="non-finite-loss" if non_finite else None)


@pytest.fixture
def record(request: pytest.FixtureRequest) -> MetricsRecorder:
    return MetricsRecorder(_run(request), request.node.nodeid)
