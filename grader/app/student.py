"""The student loop: grade one exercise, all of them, or on every save; list, show, hints, reset,
solution, init, who am I, submit. One function per command; no click, no printing.

Every attempt a student makes is stored by `record_attempt`, here and nowhere else.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from grader import course
from grader.app.context import AppContext
from grader.errors import GraderError, UsageProblem
from grader.text import plain

if TYPE_CHECKING:  # pydantic: `grade list` reads the cached manifest as plain data
    from grader.course.manifest import Exercise, Manifest
    from grader.engine.results import AttemptResult

# The lesson's five parts, as `grade show` names them (a manifest's seed_ref starts with the number).
LESSON_PARTS = {"000": "The pipeline", "001": "The introduction", "002": "The experiment",
                "003": "Why it works", "004": "The recap"}


def manifest() -> Manifest:
    return course.load()


def find_exercise(name: str) -> Exercise:
    """Resolve `exerciseN`, `N` or a slug; an unknown name raises UnknownName with suggestions."""
    return manifest().find(name)


def lesson_ref(seed_ref: str) -> str:
    """'003 pitfall 1: computing ...' -> 'Why it works, pitfall 1: computing ...'."""
    number, _, rest = seed_ref.partition(" ")
    part = LESSON_PARTS.get(number)
    return f"{part}, {rest}" if part and rest else seed_ref


def _recorded(ctx: AppContext) -> dict[str, str]:
    """{exercise: passed | attempted} for the exercises the student has attempts of."""
    return ctx.store().exercise_status(ctx.student) if ctx.has_db() else {}


def statuses(ctx: AppContext) -> dict[str, str]:
    """{exercise name: pending | attempted | passed} for the current student."""
    found = _recorded(ctx)
    return {ex.name: found.get(ex.name, "pending") for ex in manifest().exercises}


@dataclass
class Listing:
    rows: list[dict]
    workspace: Optional[Path]  # None: not in a workspace, so no status is known


def list_exercises(ctx: AppContext) -> Listing:
    found = _recorded(ctx)
    ws = ctx.find_workspace()
    rows = [
        {"name": ex["name"], "slug": ex["slug"], "title": ex["title"],
         "status": found.get(ex["name"], "pending" if ws is not None or ctx.has_db() else "unknown"),
         "concept": ex["concept"], "seed_ref": ex["seed_ref"], "optional": ex["optional"]}
        for ex in course.listing()
    ]
    return Listing(rows, ws.root if ws else None)


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
    known = ws is not None or ctx.has_db()
    return {
        "name": exercise.name, "slug": exercise.slug, "title": exercise.title,
        "concept": exercise.concept, "seed_ref": exercise.seed_ref, "lesson": lesson_ref(exercise.seed_ref),
        "task": exercise.task, "points": exercise.points,
        "targets": {k: {"op": t.op, "value": t.value} for k, t in exercise.targets.items()},
        "constraints": [c.text for c in exercise.constraints],
        "file": str(ws.student_file(exercise)) if ws else None,
        "stub": exercise.file,
        "in_workspace": ws is not None,
        "status": statuses(ctx)[exercise.name] if known else "unknown",
        "hints": len(exercise.hints),
        "hints_used": ctx.store().hints_used(ctx.student, exercise.name) if ctx.has_db() else 0,
        "time_limit_s": exercise.test_timeout_s,
        "optional": exercise.optional,
    }


# -- hints --------------------------------------------------------------------------------------------

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


# -- grading ------------------------------------------------------------------------------------------

def record_attempt(ctx: AppContext, result: AttemptResult, source: str) -> bool:
    """Store one of the student's own attempts; False when there is no database to store it in."""
    if not ctx.has_db():
        return False
    ctx.store().record_attempt(ctx.student, result, source=source, origin="local")
    return True


def student_file(ctx: AppContext, exercise: Exercise, file: Path | None) -> Path:
    if file is None and ctx.find_workspace() is None:
        ctx.workspace()  # raises: explains how to make a workspace
    return file if file is not None else ctx.workspace().student_file(exercise)


def grade_one(ctx: AppContext, exercise: Exercise, file: Path | None = None,
              seed: int | None = None) -> tuple[AttemptResult, bool]:
    """Grade the student's file (or `file`) with the command's sandbox and store the attempt.
    Returns (result, stored)."""
    from grader.engine.runner import grade_file, read_source

    box = ctx.sandbox()
    path = student_file(ctx, exercise, file)
    source, _ = read_source(path)
    if ctx.has_db():
        ctx.store()  # open and migrate before grading: a bad database fails fast
    result = grade_file(exercise, path, seed=seed, sandbox=box)
    return result, record_attempt(ctx, result, source)


@dataclass
class AllResult:
    """`grade all`: each chosen exercise with its result, or the error that kept it from grading."""

    rows: list[tuple[Exercise, Optional[AttemptResult], Optional[str]]]
    wall_s: float
    workers: int
    interrupted: bool

    @property
    def passed(self) -> bool:
        return not self.interrupted and all(r is not None and r.passed for _, r, _e in self.rows)

    def to_json(self) -> dict:
        items = []
        for ex, result, error in self.rows:
            if result is not None:
                items.append(result.to_json())
            else:
                items.append({"exercise": ex.name, "slug": ex.slug, "passed": False, "score": 0.0,
                              "max_score": ex.points, "error": error or "not graded (interrupted)"})
        return {
            "passed": self.passed,
            "score": round(sum(i["score"] for i in items), 6),
            "max_score": round(sum(i["max_score"] for i in items), 6),
            "duration_s": round(self.wall_s, 3),
            "jobs": self.workers,
            "complete": not self.interrupted,
            "exercises": items,
        }


# (done so far, total, exercise name, result or None, error or None)
AllProgress = Callable[[int, int, str, Optional["AttemptResult"], Optional[str]], None]


def grade_all(ctx: AppContext, exercises: list[Exercise], *, jobs: int | None = None,
              seed: int | None = None, progress: AllProgress | None = None) -> AllResult:
    """Grade each exercise in its own grading process, `jobs` at a time, storing every attempt."""
    from grader.engine.pool import Job, grade_many, longest_first
    from grader.engine.runner import read_source

    box = ctx.sandbox()
    ws = ctx.workspace()
    chosen = list({ex.name: ex for ex in exercises}.values()) or list(manifest().exercises)
    store = ctx.store()
    workers = min(jobs or os.cpu_count() or 1, len(chosen))
    sources: dict[str, str] = {}
    todo: list[Job] = []
    results: dict[str, AttemptResult] = {}
    errors: dict[str, str] = {}

    def report(name: str, result, error) -> None:
        if progress is not None:
            progress(len(results) + len(errors), len(chosen), name, result, error)

    for ex in chosen:
        path = ws.student_file(ex)
        try:
            sources[ex.name] = read_source(path)[0]
        except GraderError as exc:  # e.g. a deleted file: that exercise fails, the others run
            errors[ex.name] = str(exc)
            report(ex.name, None, str(exc))
            continue
        todo.append(Job(ex.name, path, seed))
    longest_first(todo, store.last_durations(), chosen)

    def done(job: Job, result, error: str | None) -> None:
        if result is not None:
            record_attempt(ctx, result, sources[job.exercise])
            results[job.exercise] = result
        else:
            errors[job.exercise] = error or "grading failed"
        report(job.exercise, result, error)

    started = time.monotonic()
    interrupted = False
    try:
        grade_many(todo, done, workers=workers, sandbox=box)
    except KeyboardInterrupt:
        interrupted = True
    rows = [(ex, results.get(ex.name), errors.get(ex.name)) for ex in chosen]
    return AllResult(rows, time.monotonic() - started, workers, interrupted)


@dataclass
class WatchEvents:
    """What `watch` tells its caller (the CLI renders it)."""

    ready: Callable[[Path, int, str, Optional[str]], None]  # folder, files, mode, first exercise
    starting: Callable[[Exercise], None]
    graded: Callable[[Exercise, "AttemptResult", float], None]  # exercise, result, seconds
    failed: Callable[[str, str], None]  # exercise name, message
    keys: list = field(default_factory=list)


def watch(ctx: AppContext, exercise: Exercise | None, *, poll: bool, interval: float | None,
          events: WatchEvents) -> None:
    """Grade `exercise` now (if given) and any exercise file again each time it is saved, until
    the student quits (KeyboardInterrupt propagates). A run cancelled by a newer save is not an
    attempt; every other run is stored."""
    from grader.app.watch import Watcher
    from grader.engine.runner import grade_file, read_source
    from grader.engine.warm import prepare_trusted

    box = ctx.sandbox()
    box.expect_many_sessions()  # one per save, for as long as the student works
    ws = ctx.workspace()
    files = {ws.student_file(ex): ex.name for ex in manifest().exercises}

    def grade(name: str) -> bool:
        ex = find_exercise(name)
        events.starting(ex)
        started = time.monotonic()
        try:
            source, _ = read_source(ws.student_file(ex))
            result = grade_file(ex, ws.student_file(ex), sandbox=box)
        except GraderError as exc:  # e.g. the file is missing mid-save: say so, keep watching
            events.failed(name, str(exc))
            return True
        except Exception as exc:  # a grader bug must not end the session either
            events.failed(name, f"the grader failed: {type(exc).__name__}: {exc}")
            return True
        if result.complete or not watcher.cancelled:  # a run cancelled by a newer save is not an attempt
            record_attempt(ctx, result, source)
            events.graded(ex, result, time.monotonic() - started)
        return result.complete

    watcher = Watcher(grade=grade, files=files, first=exercise.name if exercise else None,
                      use_events=not poll, poll_s=interval)
    original = box.zygote
    if original is not None:
        box.zygote = watcher.guard(original)

    def ready() -> None:
        prepare_trusted()  # the first grading then waits only for the worker, not for imports
        events.ready(ws.exercises, len(files), "polling" if poll else "file events",
                     exercise.name if exercise else None)

    try:
        watcher.run(ready)
    finally:
        box.zygote = original


# -- the workspace ---------------------------------------------------------------------------------

def solution_text(ctx: AppContext, exercise: Exercise) -> str:
    if not ctx.store().has_passed(ctx.student, exercise.name):
        raise UsageProblem(f"The solution to {exercise.name} unlocks once you pass it. "
                           f"Run 'grade {exercise.name}' (stuck? 'grade hint {exercise.name}').")
    return (course.SOLUTIONS_DIR / exercise.solution).read_text(encoding="utf-8")


def reset(ctx: AppContext, exercise: Exercise) -> tuple[Path, Path | None]:
    """Restore the stub: (the file, the backup of the student's version or None)."""
    from grader.app.workspace import reset_exercise

    ws = ctx.workspace()
    return ws.student_file(exercise), reset_exercise(ws, exercise)


def init(directory: Path):
    from grader.app.workspace import init_workspace

    return init_workspace(directory)


@dataclass
class Identity:
    name: str
    email: str = ""
    student_id: str = ""

    def to_json(self) -> dict:
        return {"name": self.name, "email": self.email, "student_id": self.student_id}


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NAME_MAX, EMAIL_MAX, ID_MAX = 100, 200, 100  # what a bundle's manifest accepts (grader.instructor.bundle)


def _identity_problem(field: str, value: str) -> str | None:
    """Why `value` cannot be this identity field of a bundle, or None."""
    limit = {"name": NAME_MAX, "email": EMAIL_MAX, "student id": ID_MAX}[field]
    if len(value) > limit:
        return f"the {field} is longer than {limit} characters"
    if not value.isprintable():
        return f"the {field} holds a control character"
    if field == "email" and value and not _EMAIL.match(value):
        return f"'{value}' does not look like an email address"
    return None


def whoami(ctx: AppContext, *, name: str | None = None, email: str | None = None,
           student_id: str | None = None) -> Identity:
    """Who this workspace's student is; sets the given fields first. A new name takes the
    progress stored under the old one along (unless GRADER_STUDENT decides the name)."""
    from grader.app.workspace import read_config, write_config

    changes = {}
    fixes = {"name": "grade whoami --set NAME", "email": "grade whoami --email you@example.org",
             "student id": "grade whoami --id STUDENT_ID"}
    for field, key, value in (("name", "student", name), ("email", "email", email),
                              ("student id", "student_id", student_id)):
        if value is None:
            continue
        value = value.strip()
        if field == "name" and not value:
            raise UsageProblem("The name must not be empty: grade whoami --set NAME")
        problem = _identity_problem(field, value)
        if problem:
            raise UsageProblem(f"{plain(problem, newlines=False)}: {fixes[field]}")
        changes[key] = value
    before = ctx.student
    if changes:
        write_config(ctx.workspace(), **changes)
    if "student" in changes and ctx.student != before and ctx.has_db():
        from grader.app.workspace import resolve_db_path

        if resolve_db_path(ctx.db_option, ctx.find_workspace()).exists():
            ctx.store().rename_student(before, ctx.student)
    config = read_config(ctx.find_workspace())
    return Identity(ctx.student, str(config.get("email") or ""), str(config.get("student_id") or ""))


def submit(ctx: AppContext, out: Path | None = None) -> Path:
    """Write the student's submission bundle; its path."""
    from grader.instructor.submit import submit as write

    identity = whoami(ctx)
    for field, value in (("name", identity.name), ("email", identity.email), ("student id", identity.student_id)):
        problem = _identity_problem(field, value)
        if problem:
            raise UsageProblem(f"Cannot submit: {plain(problem, newlines=False)}. Set it again with: grade whoami "
                               + {"name": "--set NAME", "email": "--email EMAIL", "student id": "--id STUDENT_ID"}[field])
    return write(ctx.store(), ctx.workspace(), manifest(), identity, out)
