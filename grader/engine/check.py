"""`grade check`: the authoring self-check. Every stub fails and every solution passes, per seed."""

from __future__ import annotations

import ast
import time
from dataclasses import dataclass, field

from grader import course
from grader.course.manifest import Exercise, Manifest


@dataclass
class ExerciseCheck:
    name: str
    seeds: list[int]
    stub_failed: int = 0
    solution_passed: int = 0
    problems: list[str] = field(default_factory=list)
    duration_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {"name": self.name, "ok": self.ok, "seeds": len(self.seeds), "stub_failed": self.stub_failed,
                "solution_passed": self.solution_passed, "problems": self.problems,
                "duration_s": round(self.duration_s, 2)}


def hidden_points(exercise: Exercise) -> float:
    """The points declared by @points(n) markers in the hidden test file (default 1 each)."""
    tree = ast.parse((course.HIDDEN_TESTS_DIR / exercise.tests).read_text(encoding="utf-8"))
    total = 0.0
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            value = 1.0
            for dec in node.decorator_list:
                if isinstance(dec, ast.Call) and getattr(dec.func, "id", getattr(dec.func, "attr", "")) == "points":
                    value = float(ast.literal_eval(dec.args[0]))
            total += value
    return total


def check_exercise(exercise: Exercise, seeds: list[int], sandbox) -> ExerciseCheck:
    from grader.engine.runner import grade_file

    started = time.monotonic()
    check = ExerciseCheck(exercise.name, seeds)
    declared = hidden_points(exercise)
    if abs(declared - exercise.points) > 1e-9:
        check.problems.append(f"manifest points = {exercise.points:g} but the hidden tests are worth {declared:g}")
    stub = course.exercises_dir() / exercise.file
    solution = course.SOLUTIONS_DIR / exercise.solution
    for seed in seeds:
        stub_result = grade_file(exercise, stub, seed=seed, sandbox=sandbox)
        if stub_result.passed:
            check.problems.append(f"seed {seed}: the stub passes every test")
        else:
            check.stub_failed += 1
        sol_result = grade_file(exercise, solution, seed=seed, sandbox=sandbox)
        if sol_result.passed:
            check.solution_passed += 1
        else:
            failing = [t for t in sol_result.tests if not t.passed]
            what = "; ".join(f"{t.name}: {t.message.splitlines()[0] if t.message else t.status}" for t in failing[:2])
            if not failing and not sol_result.targets_met:
                what = "targets not met " + str(sol_result.metrics)
            check.problems.append(f"seed {seed}: the solution fails ({what})")
    check.duration_s = time.monotonic() - started
    return check


def run_check(manifest: Manifest, seeds: int, only: list[Exercise] | None = None, progress=None,
              *, sandbox) -> list[ExerciseCheck]:
    seed_list = list(range(1, seeds + 1))
    results = []
    for exercise in only or manifest.exercises:
        results.append(check_exercise(exercise, seed_list, sandbox))
        if progress:
            progress(results[-1])
    return results
