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
from typing import Any

import pytest

from grader import course
from grader.engine.fixtures import Recorder, StudentModule
from grader.engine.plugin import Recorded
from grader.sandbox.errors import StudentError, StudentLoadError
from grader.sandbox.values import decode, encode
from grader.sandbox.worker import Child

BASE_SEED = int(os.environ.get("BENCH_SEED", "1"))  # as `grade all --seed N`: the same test seeds


class LocalSession:
    """What fixtures expect of a sandbox Session, answered in-process by the worker's Child."""

    def __init__(self, path: Path, module_name: str, seed: int):
        self.filename = path.name
        self.seed = seed
        self.calls = 0
        self.child = Child(None, {"student_path": str(path), "module_name": module_name, "seed": seed})
        reply = self.child.load()
        if not reply["ok"]:
            raise StudentLoadError(reply["error"], self.filename)
        self.defined = list(reply["value"])

    def call(self, target: str | int, *args: Any, attr: str | None = None, label: str | None = None,
             getattr_only: bool = False, **kwargs: Any) -> Any:
        self.calls += 1
        reply = self.child.handle({
            "op": "getattr" if getattr_only else "call", "target": target, "attr": attr, "label": label,
            "args": [encode(a) for a in args], "kwargs": {k: encode(v) for k, v in kwargs.items()},
            "seed": self.seed + self.calls,
        })
        if not reply["ok"]:
            raise StudentError(reply["error"], self.filename)
        return decode(reply["value"], self)

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
    return next(ex for ex in course.course_manifest().exercises if ex.tests == name)


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
def record(request, exercise) -> Recorder:
    return Recorder(PlainRun(exercise), request.node.nodeid)
