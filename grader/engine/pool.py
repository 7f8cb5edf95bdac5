"""Grading many files at once, in trusted grading processes. Torch-free to import.

pytest.main is not thread-safe, so parallel grading uses processes. Where fork is safe (Linux):
this trusted process starts one zygote, imports pytest, torch and the engine once, then forks N
trusted grading processes that share the zygote (one control request at a time, under a file
lock). Forking costs ~40 ms where a fresh process would pay ~2.5 s of imports, and the zygote's
~3.5 s warm-up is paid once. Where fork is unsafe or missing (macOS, Windows, or forced with
GRADER_WORKER_BACKEND=spawn), a spawn pool gives each process its own Sandbox.

Only trusted code runs in these processes; student code still runs in the zygote's children.
The database is written by the caller's process (`on_done`), one transaction per attempt.
"""

from __future__ import annotations

import collections
import contextlib
import os
import pickle
import selectors
import signal
import socket
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from grader.engine.warm import close_sandbox, prepare_trusted, wait_ready

if TYPE_CHECKING:
    from grader.engine.results import AttemptResult
    from grader.sandbox.client import Sandbox


@dataclass(frozen=True)
class Job:
    """One grading: an exercise (by name) and the file to grade; `key` is the caller's handle."""

    exercise: str
    path: Path
    seed: Optional[int] = None
    key: object = None


# (job, result or None, error message or None); called in the caller's process, in completion order
DoneFn = Callable[[Job, Optional["AttemptResult"], Optional[str]], None]
GradeFn = Callable[[Job, "Sandbox"], object]  # runs in a grading process; its return value is pickled back


# --- grading many ---------------------------------------------------------------------------------

# From how many gradings the zygote's one-off move to huge pages (~0.5 s of one core, see
# sandbox/hugepages.py) is earned back by cheaper sessions (~25 ms of kernel time each).
MANY_SESSIONS = 20


def longest_first(jobs: list[Job], last: dict[str, float], exercises) -> None:
    """Sort `jobs` longest first, so that the last to finish are short and no core idles at the
    end behind one long grading. A job's length: its exercise's last grading (`last`, from
    Store.last_durations), else a guess (exercises that train take longer)."""
    guess = {ex.name: (2.0 if ex.targets else 0.5) for ex in exercises}
    jobs.sort(key=lambda job: last.get(job.exercise) or guess.get(job.exercise, 1.0), reverse=True)


def grade_many(jobs: list[Job], on_done: DoneFn, *, workers: int | None = None,
               sandbox: "Sandbox | None" = None, queue: int = 1) -> None:
    """Grade every job, `workers` at a time, calling `on_done` as each finishes.

    `queue`: with several workers, how many jobs each may hold at once. 2 suits many similar jobs
    (a regrade): the next is already waiting when one finishes. 1 suits a few jobs of very
    different lengths, longest first (`grade all`), where a job queued behind a long one could
    have run on a free core.

    KeyboardInterrupt stops the workers and propagates; what finished was already reported.
    """
    from grader.sandbox.client import Sandbox

    if not jobs:
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    own = sandbox is None
    box = sandbox or Sandbox()
    box.warm()  # first: the zygote warms up while this process imports
    if len(jobs) >= MANY_SESSIONS:
        box.expect_many_sessions()
    try:
        if workers == 1:
            _grade_here(jobs, on_done, box)
        elif can_fork_pool(box):
            _ForkPool(box, workers, queue=queue).run(jobs, on_done)
        else:
            _spawn_pool(jobs, on_done, workers)
    finally:
        if own:
            close_sandbox(box)


def can_fork_pool(box: "Sandbox") -> bool:
    return box.zygote is not None and hasattr(os, "fork")


def grade_job(job: Job, box: "Sandbox") -> "AttemptResult":
    from grader import course
    from grader.engine.runner import grade_file

    return grade_file(course.load().find(job.exercise), job.path, seed=job.seed, sandbox=box)


def _describe(exc: BaseException) -> str:
    from grader.errors import GraderError

    if isinstance(exc, GraderError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _grade_here(jobs: list[Job], on_done: DoneFn, box: "Sandbox") -> None:
    prepare_trusted()  # the first grading would import all this anyway; frozen, later ones skip it
    for job in jobs:
        try:
            result, error = grade_job(job, box), None
        except Exception as exc:  # one broken grading must not stop the others
            result, error = None, _describe(exc)
        on_done(job, result, error)


# --- fork pool: trusted processes forked from this warm one ---------------------------------------

class _ForeignProcess:
    """Stands in, in a forked process, for the parent's Popen of the zygote: that Popen cannot wait
    for a process this one did not start, so its poll() would call the zygote dead (and the Zygote
    would start a second one). If the zygote really dies, requests fail and Zygote starts a private one."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            self.returncode = -signal.SIGKILL
        except PermissionError:
            pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        return self.poll()


class _SharedZygote:
    """The parent's zygote seen from a forked trusted process: one request at a time, machine-wide
    for this zygote (fcntl lock on a file), so replies on the shared control socket never cross."""

    def __init__(self, zygote, lock_path: Path):
        self._zygote = zygote
        if zygote._proc is not None:
            zygote._proc = _ForeignProcess(zygote._proc.pid)
        self._original = zygote._proc
        self._lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)  # opened after fork: own lock

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        import fcntl

        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def start(self) -> None:  # the parent started it
        pass

    def spawn(self, sock: socket.socket, config: dict) -> int:
        with self._locked():
            return self._zygote.spawn(sock, config)

    def kill(self, pid: int, grace_s: float = 0.0, wait: bool = True):
        with self._locked():
            return self._zygote.kill(pid, grace_s=grace_s, wait=wait)

    def ready_now(self) -> bool:
        return True  # the parent waited for it to be warm before forking us

    def close(self) -> None:
        # Only a zygote this process had to restart (the shared one died) is ours to close.
        if self._zygote._proc is not None and self._zygote._proc is not self._original:
            self._zygote.close()


def _send(sock: socket.socket, obj: object) -> None:
    from grader.sandbox.wire import send_frame

    send_frame(sock, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _recv(sock: socket.socket):
    from grader.sandbox.wire import recv_frame

    return pickle.loads(recv_frame(sock))  # both ends are trusted grader processes


def _trusted_worker(sock: socket.socket, parent_box: "Sandbox", lock_path: Path, grade_fn: GradeFn) -> None:
    """A forked grading process: grade jobs from the parent until it says stop."""
    from grader.sandbox.client import Sandbox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    tempfile.tempdir = str(parent_box.base_dir)  # our session folders go where the parent cleans up
    box = Sandbox()
    box.zygote = _SharedZygote(parent_box.zygote, lock_path)
    try:
        while True:
            job = _recv(sock)
            if job is None:
                return
            try:
                reply = (grade_fn(job, box), None)
            except Exception as exc:
                reply = (None, _describe(exc))
            try:
                _send(sock, reply)
            except Exception as exc:  # e.g. a result that does not pickle: say so, keep going
                _send(sock, (None, f"could not send the result back ({exc})"))
    finally:
        box.close()


@dataclass
class _Worker:
    pid: int
    sock: socket.socket
    jobs: collections.deque = field(default_factory=collections.deque)  # sent, in order; [0] is running


class _ForkPool:
    def __init__(self, box: "Sandbox", workers: int, grade_fn: GradeFn | None = None, queue: int = 1):
        self.box = box
        self.n = workers
        self.grade_fn = grade_fn or grade_job
        self.queue = max(1, queue)
        self.lock_path = box.base_dir / "zygote.lock"
        self.workers: list[_Worker] = []

    def _fork(self) -> _Worker:
        ours, theirs = socket.socketpair()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the trusted grading process
            code = 0
            try:
                ours.close()
                for w in self.workers:
                    w.sock.close()
                _trusted_worker(theirs, self.box, self.lock_path, self.grade_fn)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)  # no atexit: the parent's handlers (database, zygote) are not ours
        theirs.close()
        return _Worker(pid, ours)

    def run(self, jobs: list[Job], on_done: DoneFn) -> None:
        prepare_trusted()  # while the zygote warms up, on the other core
        wait_ready(self.box)
        todo = collections.deque(jobs)
        sel = selectors.DefaultSelector()
        try:
            while todo or any(w.jobs for w in self.workers):
                while todo and len(self.workers) < self.n:
                    worker = self._fork()
                    self.workers.append(worker)
                    sel.register(worker.sock, selectors.EVENT_READ, worker)
                for worker in self.workers:
                    self._hand_out(worker, todo)
                for key, _ in sel.select():
                    worker = key.data
                    job = worker.jobs.popleft()
                    try:
                        result, error = _recv(worker.sock)
                    except (EOFError, OSError, pickle.UnpicklingError):
                        # A grading process died (a grader bug): report its job, replace it,
                        # and give the jobs queued behind it to the others.
                        sel.unregister(worker.sock)
                        self._reap(worker)
                        self.workers.remove(worker)
                        todo.extendleft(reversed(worker.jobs))
                        worker.jobs.clear()
                        result, error = None, "the grading process stopped unexpectedly"
                    else:
                        self._hand_out(worker, todo)  # before on_done: it writes the database
                    on_done(job, result, error)
        finally:
            sel.close()
            self._stop()

    def _hand_out(self, worker: _Worker, todo: collections.deque) -> None:
        # Queue more than one only while there are more jobs than workers, so the last ones go
        # to whichever process is free rather than waiting behind another's job.
        while todo and (not worker.jobs or (len(worker.jobs) < self.queue and len(todo) > self.n)):
            job = todo.popleft()
            worker.jobs.append(job)
            _send(worker.sock, job)

    def _reap(self, worker: _Worker, kill: bool = False) -> None:
        worker.sock.close()
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)

    def _stop(self) -> None:
        """Idle workers are told to stop; busy ones (interrupted) are killed."""
        for worker in self.workers:
            busy = bool(worker.jobs)
            if not busy:
                with contextlib.suppress(OSError):
                    _send(worker.sock, None)
            self._reap(worker, kill=busy)
        self.workers = []


# --- spawn pool: where fork is unsafe or missing -----------------------------------------------------

_spawned_box: "Sandbox | None" = None


def _init_spawned() -> None:
    global _spawned_box
    from multiprocessing.util import Finalize

    from grader.sandbox.client import Sandbox

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _spawned_box = Sandbox()
    _spawned_box.warm()
    Finalize(_spawned_box, _spawned_box.close, exitpriority=10)


def _grade_spawned(job: Job):
    assert _spawned_box is not None
    try:
        return grade_job(job, _spawned_box), None
    except Exception as exc:
        return None, _describe(exc)


def _spawn_pool(jobs: list[Job], on_done: DoneFn, workers: int) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_spawned)
    try:
        futures = {pool.submit(_grade_spawned, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                result, error = future.result()
            except Exception as exc:  # the process died
                result, error = None, _describe(exc)
            on_done(futures[future], result, error)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        raise
    pool.shutdown(wait=True)
