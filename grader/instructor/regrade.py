"""`grade regrade`: run the hidden tests on every collected submission — the authoritative scores.

A job is one exercise file of one student's current bundle. A job is done when the database holds
a complete regrade attempt of that exact file (same SHA-256) by this grader version, so an
interrupted regrade resumes where it stopped and a second run does nothing.

pytest runs in-process for each grading and is not thread-safe, so parallel regrading uses trusted
grading processes (grader.engine.pool). They only grade; this process writes the database.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from grader import __version__
from grader.instructor.seeds import stable_seed
from grader.course.manifest import Manifest
from grader.store import Store


@dataclass(frozen=True)
class RegradeJob:
    bundle_id: int
    student: str
    exercise: str
    sha256: str

    @property
    def seed(self) -> int:
        return stable_seed(self.exercise, self.sha256)


@dataclass
class RegradeSummary:
    total: int = 0  # jobs this run set out to do
    graded: int = 0
    already_done: int = 0
    errors: list[str] = field(default_factory=list)
    interrupted: bool = False


# (done so far, total, job, result or None, error message or None)
ProgressFn = Callable[[int, int, RegradeJob, object, Optional[str]], None]


def all_jobs(store: Store, manifest: Manifest) -> list[RegradeJob]:
    known = set(manifest.names())
    rows = store.current_bundle_files()
    order = {name: i for i, name in enumerate(manifest.names())}
    jobs = [RegradeJob(*row) for row in rows if row[2] in known]
    return sorted(jobs, key=lambda j: (j.student, order[j.exercise]))


def pending_jobs(store: Store, manifest: Manifest, force: bool = False) -> tuple[list[RegradeJob], int]:
    """(jobs still to do, how many are already done)."""
    jobs = all_jobs(store, manifest)
    if force:
        return jobs, 0
    done = store.regraded(__version__)
    todo = [j for j in jobs if (j.student, j.exercise, j.sha256) not in done]
    return todo, len(jobs) - len(todo)


def _record(store: Store, summary: RegradeSummary, job: RegradeJob, source: str, result, error: str | None,
            progress: ProgressFn | None, done: int) -> None:
    if error is None and result is not None and not result.complete:
        raise KeyboardInterrupt  # grading was interrupted: keep nothing partial, resume later
    if error is None:
        store.record_attempt(job.student, result, source=source, origin="regrade")
        summary.graded += 1
    else:
        summary.errors.append(f"{job.student} {job.exercise}: {error}")
    if progress is not None:
        progress(done, summary.total, job, result, error)


def regrade(store: Store, manifest: Manifest, *, workers: int = 1, force: bool = False,
            progress: ProgressFn | None = None, sandbox=None) -> RegradeSummary:
    """Regrade every pending job; results are stored as each finishes (origin "regrade").

    The gradings run through grader.engine.pool.grade_many: `workers` trusted processes sharing one
    warm worker parent. Only this process writes the database.
    """
    from grader import course
    from grader.engine.pool import Job, grade_many, longest_first

    jobs, already = pending_jobs(store, manifest, force)
    summary = RegradeSummary(total=len(jobs), already_done=already)
    if not jobs:
        return summary
    sources = {job: store.bundle_source(job.bundle_id, job.exercise) for job in jobs}
    done = 0

    def on_done(graded: Job, result, error: str | None) -> None:
        nonlocal done
        done += 1
        job = graded.key
        _record(store, summary, job, sources[job], result, error, progress, done)

    with tempfile.TemporaryDirectory(prefix="grade-regrade-") as tmp:
        grading = []
        for i, job in enumerate(jobs):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = folder / Path(course.load().find(job.exercise).file).name
            path.write_bytes(sources[job].encode("utf-8"))
            grading.append(Job(job.exercise, path, seed=job.seed, key=job))
        if workers > 1:  # one process grades in the order shown, student by student
            longest_first(grading, store.last_durations(), manifest.exercises)
        try:
            grade_many(grading, on_done, workers=max(1, min(workers, len(jobs))), sandbox=sandbox, queue=2)
        except KeyboardInterrupt:
            summary.interrupted = True
    return summary
