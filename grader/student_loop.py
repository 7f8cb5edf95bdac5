"""The student loop behind the CLI: grade, list, show, hint, reset, solution. No click here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader import course
from grader.context import AppContext
from grader.errors import GraderError

if TYPE_CHECKING:  # pydantic: `grade list` reads the cached manifest as plain data
    from grader.manifest import Exercise, Manifest


def manifest() -> Manifest:
    return course.course_manifest()


def find_exercise(name: str) -> Exercise:
    """Resolve `exerciseN`, `N` or a slug; an unknown name raises UnknownName with suggestions."""
    return manifest().find(name)


def statuses(ctx: AppContext) -> dict[str, str]:
    """{exercise name: pending | attempted | passed} for the current student."""
    found = _recorded(ctx)
    return {ex.name: found.get(ex.name, "pending") for ex in manifest().exercises}


def _recorded(ctx: AppContext) -> dict[str, str]:
    """{exercise: passed | attempted} for the exercises the student has attempts of."""
    return ctx.store().exercise_status(ctx.student) if ctx.has_db() else {}


def list_exercises(ctx: AppContext) -> list[dict]:
    from grader import manifest_cache

    exercises = manifest_cache.cached_exercises()  # plain data: no pydantic (~0.1 s) on a hit
    if exercises is None:
        exercises = [ex.model_dump() for ex in manifest().exercises]  # validates, then caches
    found = _recorded(ctx)
    return [
        {"name": ex["name"], "slug": ex["slug"], "title": ex["title"], "status": found.get(ex["name"], "pending"),
         "concept": ex["concept"], "seed_ref": ex["seed_ref"], "optional": ex["optional"]}
        for ex in exercises
    ]


def next_pending(ctx: AppContext) -> Exercise | None:
    status = statuses(ctx)
    for ex in manifest().exercises:
        if status[ex.name] != "passed" and not ex.optional:
            return ex
    return None


def after(exercise: Exercise) -> Exercise | None:
    exercises = manifest().exercises
    i = exercises.index(exercise)
    return exercises[i + 1] if i + 1 < len(exercises) else None


def show(ctx: AppContext, exercise: Exercise) -> dict:
    ws = ctx.find_workspace()
    return {
        "name": exercise.name, "slug": exercise.slug, "title": exercise.title,
        "concept": exercise.concept, "seed_ref": exercise.seed_ref, "task": exercise.task,
        "points": exercise.points,
        "targets": {k: {"op": t.op, "value": t.value} for k, t in exercise.targets.items()},
        "constraints": [c.text for c in exercise.constraints],
        "file": str(ws.student_file(exercise)) if ws else exercise.file,
        "status": statuses(ctx)[exercise.name],
        "hints": len(exercise.hints),
        "hints_used": ctx.store().hints_used(ctx.student, exercise.name) if ctx.has_db() else 0,
        "time_limit_s": exercise.test_timeout_s,
        "optional": exercise.optional,
    }


@dataclass
class HintReveal:
    number: int  # the hint just shown (1-based); 0 when the exercise has none
    total: int
    shown: list[str]  # every hint revealed so far, in order
    exhausted: bool  # asked again after the last one


def next_hint(ctx: AppContext, exercise: Exercise) -> HintReveal:
    total = len(exercise.hints)
    if not total:
        return HintReveal(0, 0, [], True)
    store = ctx.store()
    used = store.hints_used(ctx.student, exercise.name)
    if used >= total:
        return HintReveal(total, total, list(exercise.hints), True)
    store.record_hint(ctx.student, exercise.name, used + 1)
    return HintReveal(used + 1, total, list(exercise.hints[: used + 1]), False)


def hints_left(ctx: AppContext, exercise: Exercise) -> int:
    if not ctx.has_db():
        return len(exercise.hints)
    return max(0, len(exercise.hints) - ctx.store().hints_used(ctx.student, exercise.name))


def student_file(ctx: AppContext, exercise: Exercise, file: Path | None) -> Path:
    return file if file is not None else ctx.workspace().student_file(exercise)


def grade_exercise(ctx: AppContext, exercise: Exercise, file: Path | None = None,
                   seed: int | None = None, sandbox=None, store: bool = True):
    """Grade and (when a database is reachable) store the attempt. Returns (result, stored)."""
    from grader.engine.runner import grade_file, read_source

    path = student_file(ctx, exercise, file)
    source, _ = read_source(path)
    if store and ctx.has_db():
        ctx.store()  # open and migrate before grading: a bad database fails fast
    result = grade_file(exercise, path, seed=seed, sandbox=sandbox)
    stored = False
    if store and ctx.has_db():
        ctx.store().record_attempt(ctx.student, result, source=source, origin="local")
        stored = True
    return result, stored


def solution_text(ctx: AppContext, exercise: Exercise) -> str:
    if not ctx.store().has_passed(ctx.student, exercise.name):
        raise GraderError(f"The solution to {exercise.name} unlocks once you pass it. "
                          f"Run 'grade {exercise.name}' (stuck? 'grade hint {exercise.name}').")
    return (course.SOLUTIONS_DIR / exercise.solution).read_text(encoding="utf-8")
