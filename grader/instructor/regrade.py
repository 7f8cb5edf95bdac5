"""`grade regrade`: run the hidden tests on every collected submission — the authoritative scores.

A job is one exercise file of one student's current bundle. A job is done when the database holds
a complete regrade attempt of that exact file (same SHA-256) by this grader version, so an
interrupted regrade resumes where it stopped and a second run does nothing.

pytest runs in-process for each grading and is not thread-safe, so parallel regrading uses worker
processes, each with its own warm Sandbox. Workers only grade; this (trusted) process writes.
"""

from __future__ import annotations

import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from grader import __version__
from grader.instructor.seeds import stable_seed
from grader.manifest import Manifest
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
    rows = store.db.execute(
        """select b.id, s.name, f.exercise, f.sha256 from bundles b
           join students s on s.id = b.student_id join bundle_files f on f.bundle_id = b.id
           where b.status = 'current' order by s.name, f.exercise"""
    ).fetchall()
    order = {name: i for i, name in enumerate(manifest.names())}
    jobs = [RegradeJob(*row) for row in rows if row[2] in known]
    return sorted(jobs, key=lambda j: (j.student, order[j.exercise]))


def pending_jobs(store: Store, manifest: Manifest, force: bool = False) -> tuple[list[RegradeJob], int]:
    """(jobs still to do, how many are already done)."""
    jobs = all_jobs(store, manifest)
    if force:
        return jobs, 0
    done = {
        tuple(row) for row in store.db.execute(
            """select s.name, a.exercise, a.source_sha256 from attempts a join students s on s.id = a.student_id
               where a.origin = 'regrade' and a.complete = 1 and a.grader_version = ?""", [__version__]
        ).fetchall()
    }
    todo = [j for j in jobs if (j.student, j.exercise, j.sha256) not in done]
    return todo, len(jobs) - len(todo)


def _source(store: Store, job: RegradeJob) -> str:
    return store.db.execute("select source from bundle_files where bundle_id = ? and exercise = ?",
                            [job.bundle_id, job.exercise]).fetchone()[0]


def grade_source(exercise_name: str, source: str, seed: int, sandbox):
    """Grade code held in the database: write it under the exercise's file name, grade it."""
    from grader.course import course_manifest
    from grader.engine.runner import grade_file

    exercise = course_manifest().find(exercise_name)
    with tempfile.TemporaryDirectory(prefix="grade-regrade-") as tmp:
        path = Path(tmp) / Path(exercise.file).name
        path.write_bytes(source.encode("utf-8"))
        return grade_file(exercise, path, seed=seed, sandbox=sandbox)


# --- worker processes --------------------------------------------------------------------

_worker_sandbox = None


def _init_worker() -> None:
    """Each worker process keeps one warm Sandbox for all its gradings."""
    global _worker_sandbox
    from multiprocessing.util import Finalize

    from grader.sandbox.client import Sandbox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker_sandbox = Sandbox()
    _worker_sandbox.warm()
    Finalize(_worker_sandbox, _worker_sandbox.close, exitpriority=10)


def _work(exercise_name: str, source: str, seed: int):
    try:
        return grade_source(exercise_name, source, seed, _worker_sandbox), None
    except Exception as exc:  # reported per job; one broken grading must not stop the class
        return None, f"{type(exc).__name__}: {exc}"


# --- the run -----------------------------------------------------------------------------

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
    """Regrade every pending job; results are stored as each finishes (origin "regrade")."""
    jobs, already = pending_jobs(store, manifest, force)
    summary = RegradeSummary(total=len(jobs), already_done=already)
    if not jobs:
        return summary
    try:
        if workers <= 1 or len(jobs) == 1:
            _run_here(store, jobs, summary, progress, sandbox)
        else:
            _run_pool(store, jobs, summary, progress, min(workers, len(jobs)))
    except KeyboardInterrupt:
        summary.interrupted = True
    return summary


def _run_here(store: Store, jobs: list[RegradeJob], summary: RegradeSummary,
              progress: ProgressFn | None, sandbox) -> None:
    from grader.sandbox.client import Sandbox, shared_sandbox

    box = sandbox or shared_sandbox()
    own = box is None
    box = box or Sandbox()
    box.warm()
    try:
        for i, job in enumerate(jobs, 1):
            source = _source(store, job)
            try:
                result, error = grade_source(job.exercise, source, job.seed, box), None
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                result, error = None, f"{type(exc).__name__}: {exc}"
            _record(store, summary, job, source, result, error, progress, i)
    finally:
        if own:
            box.close()


def _run_pool(store: Store, jobs: list[RegradeJob], summary: RegradeSummary,
              progress: ProgressFn | None, workers: int) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from grader.errors import GraderError

    # spawn: a clean interpreter per worker (no inherited threads, locks or database handles).
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker)
    try:
        sources = {job: _source(store, job) for job in jobs}
        futures = {pool.submit(_work, job.exercise, sources[job], job.seed): job for job in jobs}
        for done, future in enumerate(as_completed(futures), 1):
            job = futures[future]
            try:
                result, error = future.result()
            except BrokenProcessPool:
                raise GraderError("a regrade worker process stopped unexpectedly (out of memory?). What "
                                  "finished is stored: run 'grade regrade' again, with fewer --jobs.") from None
            _record(store, summary, job, sources[job], result, error, progress, done)
    except BaseException:
        # Interrupted: drop queued jobs and stop the workers now; what finished is already stored.
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        raise
    else:
        pool.shutdown(wait=True)
