"""A pytest plugin that runs the hidden tests in ONE plain pytest process, no sandbox.

The `student` fixture loads the exercise's reference solution in this very process and calls
it the way the worker would (the worker's own encode/decode, minus the fork and the socket),
so the hidden tests see the same values. This is the baseline `grade all` is compared with:

    python -m pytest -p bench.plain_plugin -c grader/course/hidden/pytest.ini grader/course/hidden
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest

from grader import course
from grader.engine.fixtures import MetricsRecorder, StudentModule
from grader.engine.plugin import Recorded
from grader.sandbox.client import Session
from grader.sandbox.errors import StudentLoadError
from grader.sandbox.worker import Child

BASE_SEED = int(os.environ.get("BENCH_SEED", "1"))  # as `grade all --seed N`: the same test seeds


class LocalSession(Session):
    """A sandbox Session whose requests are answered in-process by the worker's Child: the same
    calls, seeds and encoding, minus the fork and the socket."""

    def __init__(self, path: Path, module_name: str, seed: int):
        self.filename = path.name
        self.seed = seed
        self.calls = 0
        self.child = Child(None, {"student_path": str(path), "module_name": module_name, "seed": seed})
        reply = self.child.load()
        if not reply["ok"]:
            raise StudentLoadError(reply["error"], self.filename)
        self.defined = list(reply["value"])

    def _exchange(self, request: dict, doing: str) -> dict:
        return self.child.handle(request)

    def output(self, limit: int = 4000) -> str:
        return ""

    def close(self) -> None:
        pass


class PlainRun:
    """Just enough of GradingRun for the `record` fixture."""

    def __init__(self, exercise):
        self.exercise = exercise
        self.recorded = Recorded()

    def signal(self, nodeid: str, name: str) -> None:
        pass


def _exercise_for(request: pytest.FixtureRequest):
    name = Path(str(request.node.fspath)).name
    return next(ex for ex in course.load().exercises if ex.tests == name)


@pytest.fixture
def exercise(request):
    return _exercise_for(request)


@pytest.fixture
def seed(request) -> int:
    return (BASE_SEED * 1_000_003 + zlib.crc32(request.node.nodeid.encode())) % (2**31 - 1)


@pytest.fixture
def rng(seed):
    import torch

    return torch.Generator().manual_seed(seed)


@pytest.fixture
def source(exercise) -> str:
    return (course.SOLUTIONS_DIR / exercise.solution).read_text(encoding="utf-8")


@pytest.fixture
def student(exercise, seed):
    return StudentModule(LocalSession(course.SOLUTIONS_DIR / exercise.solution, exercise.module_name, seed))


@pytest.fixture
def record(request, exercise) -> MetricsRecorder:
    return MetricsRecorder(PlainRun(exercise), request.node.nodeid)
