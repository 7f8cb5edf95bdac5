"""What a grading run produces. Torch-free so reports and the store can use it cheaply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

Status = Literal["passed", "failed", "error", "timeout"]


def now() -> str:
    """The current time as the store keeps it: UTC, ISO 8601, milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class Diagnosis:
    code: str
    message: str
    title: str = ""

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message}


@dataclass
class TestOutcome:
    __test__ = False  # not a pytest test class

    name: str
    status: Status
    score: float
    max_score: float
    message: str = ""
    duration_s: float = 0.0
    output: str = ""  # what the student's code printed during this test (capped)
    signals: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # student exceptions: {type, message}
    kind: str = "test"  # test | constraint

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def to_json(self) -> dict:
        out = {
            "name": self.name,
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "message": self.message,
            "status": self.status,
            "duration_s": round(self.duration_s, 3),
        }
        if self.output:
            out["output"] = self.output
        if self.kind != "test":
            out["kind"] = self.kind
        return out


@dataclass
class AttemptResult:
    exercise: str
    slug: str
    title: str
    seed: int
    started_at: str
    tests: list[TestOutcome] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    targets: dict = field(default_factory=dict)  # name -> manifest.Target
    trace: list[dict] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    duration_s: float = 0.0
    complete: bool = True
    status_message: str = ""  # e.g. why grading stopped early
    source_sha256: str = ""
    file: str = ""

    @property
    def score(self) -> float:
        return round(sum(t.score for t in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 6)

    @property
    def targets_met(self) -> bool:
        return all(t.met(self.metrics.get(name)) for name, t in self.targets.items())

    @property
    def passed(self) -> bool:
        return self.complete and bool(self.tests) and all(t.passed for t in self.tests) and self.targets_met

    def to_json(self) -> dict:
        return {
            "exercise": self.exercise,
            "slug": self.slug,
            "passed": self.passed,
            "score": self.score,
            "max_score": self.max_score,
            "duration_s": round(self.duration_s, 3),
            "tests": [t.to_json() for t in self.tests],
            "metrics": {k: round(v, 6) if v == v else None for k, v in self.metrics.items()},
            "targets": {k: {"op": t.op, "value": t.value} for k, t in self.targets.items()},
            "diagnoses": [d.to_json() for d in self.diagnoses],
            "seed": self.seed,
            "complete": self.complete,
            "trace": self.trace,
            "title": self.title,
        }
