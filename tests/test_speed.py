"""The warm worker from the CLI: started first, closed fast, both backends grade the same way.

Speed itself is measured by bench/run.py, by hand (timed tests are flaky); these tests check the
behaviour the speed-ups rely on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from grader import course
from grader.app.context import AppContext


def grade_fresh(workspace, *args: str, backend: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_DB", "GRADER_WORKER_BACKEND")}
    env["GRADER_STUDENT"] = "tester"
    if backend:
        env["GRADER_WORKER_BACKEND"] = backend
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=workspace.root, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("backend", ["fork", "spawn"])
def test_cold_grading_gives_one_json_object_and_the_contract_exit_code(workspace, backend):
    """Cold `grade exerciseN` (exits without interpreter teardown: output must still be flushed).
    spawn is the fallback where fork is unsafe or missing (macOS, Windows), forced here."""
    solution = course.SOLUTIONS_DIR / "ex01_requires_grad.py"
    passed = grade_fresh(workspace, "exercise1", "--file", str(solution), "--json", "--seed", "4", backend=backend)
    assert passed.returncode == 0, passed.stderr[-2000:]
    payload = json.loads(passed.stdout)
    assert payload["passed"] is True and payload["seed"] == 4 and len(payload["tests"]) == 3
    stub = grade_fresh(workspace, "exercise1", "--json", backend=backend)
    assert stub.returncode == 1, stub.stderr[-2000:]
    payload = json.loads(stub.stdout)
    assert payload["passed"] is False
    assert any(d["code"] == "missing-requires-grad" for d in payload["diagnoses"])
    listed = grade_fresh(workspace, "list", "--json")
    statuses = {row["name"]: row["status"] for row in json.loads(listed.stdout)}
    assert statuses["exercise1"] == "passed"  # both attempts were stored before the fast exit


def test_a_usage_error_kills_the_worker_it_started_instead_of_waiting_for_it(monkeypatch):
    monkeypatch.delenv("GRADER_WORKER_BACKEND", raising=False)
    ctx = AppContext()
    box = ctx.sandbox()
    proc = box.zygote._proc
    assert proc is not None and proc.poll() is None  # started before anything else
    ctx.close()  # what the command does when a usage error ends it early
    # Killed while still importing torch (a clean exit after warm-up would be 0).
    assert proc.returncode == -signal.SIGKILL


def test_a_command_uses_the_sandbox_it_is_given_and_leaves_it_open(sandbox):
    ctx = AppContext(sandbox_factory=lambda: sandbox)
    assert ctx.sandbox() is sandbox
    ctx.close()
    assert sandbox.zygote._proc is not None and sandbox.zygote._proc.poll() is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")
def test_nothing_forks_while_threads_run(sandbox):
    """Fork copies only the calling thread: the zygote and the trusted process that `grade all`
    forks from must be single-threaded (no torch or OpenMP pool started) when they fork."""
    from grader.engine.warm import wait_ready

    wait_ready(sandbox)
    assert len(os.listdir(f"/proc/{sandbox.zygote._proc.pid}/task")) == 1
    probe = ("import gc, os; from grader.engine.warm import prepare_trusted; prepare_trusted(); "
             "print(len(os.listdir('/proc/self/task')), gc.get_freeze_count())")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    threads, frozen = proc.stdout.split()
    assert threads == "1", proc.stderr[-2000:]
    # What it loaded is out of the collector's reach: collections in the grading processes forked
    # from it neither walk nor copy it (~300,000 objects).
    assert int(frozen) > 100_000


PROBE = '''
import sys


def dynamo_loaded():
    return "torch._dynamo" in sys.modules


def make_optimizer():
    import torch

    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
'''


def _probe(box, tmp_path) -> tuple[bool, object, bool]:
    path = tmp_path / "probe.py"
    path.write_text(PROBE)
    session = box.session(path, "probe", 1)
    try:
        session.set_deadline(120, "120 s")
        session.load()
        return session.call("dynamo_loaded"), session.call("make_optimizer"), session.call("dynamo_loaded")
    finally:
        session.close()


def test_a_light_worker_skips_the_optimizer_warm_up_and_still_builds_optimizers(tmp_path, sandbox):
    from grader.sandbox.client import Sandbox

    before, optimizer, after = _probe(sandbox, tmp_path)  # the full warm-up: watch, all, tests
    assert before is True and "SGD" in optimizer.type_name
    with Sandbox(light=True) as light:
        before, optimizer, after = _probe(light, tmp_path)
    assert before is False  # ready ~1.5 s sooner
    assert "SGD" in optimizer.type_name and after is True  # a session that needs it pays it itself


def test_exercises_judged_light_really_train_nothing(tmp_path, monkeypatch):
    """`trains_nothing` reads the reference solution; check it against what the hidden tests and the
    solution really import (a wrong "light" would cost every test of that exercise ~1.5 s)."""
    from grader.course import cache
    from grader.engine.warm import trains_nothing

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))  # its own cache, filled here
    manifest = cache.load(course.manifest_path(), course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
    light = [ex for ex in manifest.exercises if trains_nothing(ex.name)]
    heavy = [ex for ex in manifest.exercises if ex not in light]
    assert light and heavy
    assert all(not trains_nothing(ex.name) for ex in manifest.exercises if ex.targets)
    files = [str(course.HIDDEN_TESTS_DIR / ex.tests) for ex in light]
    probe = ("import sys, pytest; "
             f"code = pytest.main({[*PLAIN_PYTEST_ARGS, *files]!r}); "
             "print('RESULT', int(code), 'torch._dynamo' in sys.modules)")
    proc = _in_repo([sys.executable, "-c", probe])
    assert "RESULT 0 False" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_the_trusted_side_never_pays_the_optimizers_lazy_imports():
    """No hidden test builds a torch.optim optimizer in the trusted process: the first would import
    torch._dynamo there (~1-1.5 s before that exercise's verdict, and again in every grading process
    a parallel run forks). Optimizers are the student's code's, in the worker."""
    probe = ("import sys\n"
             "from grader import course\n"
             "from grader.engine.pool import Job, grade_many\n"
             "verdicts = []\n"
             "jobs = [Job(ex.name, course.SOLUTIONS_DIR / ex.solution) for ex in course.load().exercises]\n"
             "grade_many(jobs, lambda job, result, error: verdicts.append(error or result.passed), workers=1)\n"
             "print('RESULT', len(verdicts), all(v is True for v in verdicts), 'torch._dynamo' in sys.modules)\n")
    proc = _in_repo([sys.executable, "-c", probe])
    n = len(course.load().exercises)
    assert f"RESULT {n} True False" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]


# The hidden tests in one plain pytest process against the reference solutions (bench/plain_plugin.py).
PLAIN_PYTEST_ARGS = ["-q", "-p", "bench.plain_plugin", "-p", "no:cacheprovider",
                     "-c", str(course.HIDDEN_TESTS_DIR / "pytest.ini"), "--rootdir", str(course.HIDDEN_TESTS_DIR)]


def _in_repo(cmd: list[str]) -> subprocess.CompletedProcess:
    root = course.PACKAGE_DIR.parent
    return subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(root)})


def test_the_benchmarks_plain_pytest_baseline_passes_every_hidden_test():
    """bench/run.py compares `grade all` with these hidden tests run in one plain pytest process
    (bench/plain_plugin.py); a baseline that fails or errors would make that ratio meaningless."""
    proc = _in_repo([sys.executable, "-m", "pytest", *PLAIN_PYTEST_ARGS, str(course.HIDDEN_TESTS_DIR)])
    tests = sum(1 for path in course.HIDDEN_TESTS_DIR.glob("test_*.py")
                for line in path.read_text().splitlines() if line.startswith("def test_"))
    assert proc.returncode == 0 and f"{tests} passed" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_heap_chunks_are_the_private_writable_anonymous_memory_aligned_to_huge_pages(tmp_path):
    from grader.sandbox import hugepages

    maps = tmp_path / "maps"
    maps.write_text(
        "55d000200000-55d001a00000 rw-p 00000000 00:00 0                          [heap]\n"
        "7f0000100000-7f0000500000 rw-p 00000000 00:00 0 \n"  # 4 MiB, not aligned at either end
        "7f1000000000-7f1000400000 r--p 00000000 08:01 123                        /usr/lib/libtorch_cpu.so\n"
        "7f2000000000-7f2000400000 rw-p 00000000 08:01 123                        /usr/lib/libtorch_cpu.so\n"
        "7f3000000000-7f3000400000 ---p 00000000 00:00 0 \n"
        "7ffc00000000-7ffc00400000 rw-p 00000000 00:00 0                          [stack]\n")
    chunks = hugepages.anonymous_chunks(str(maps))
    heap = [(0x55D000200000, 8 << 20), (0x55D000A00000, 8 << 20), (0x55D001200000, 8 << 20)]
    assert chunks == heap + [(0x7F0000200000, 2 << 20)]  # the 2 MiB page wholly inside the mapping
    assert hugepages.anonymous_chunks(str(tmp_path / "missing")) == []


def _kernel_collapses() -> bool:
    import ctypes
    import mmap

    from grader.sandbox import hugepages

    area = mmap.mmap(-1, 4 * hugepages.HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    area.write(b"x" * len(area))
    start = ctypes.addressof(ctypes.c_char.from_buffer(area))
    aligned = -(-start // hugepages.HUGE_PAGE) * hugepages.HUGE_PAGE
    madvise = ctypes.CDLL(None, use_errno=True).madvise
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise(aligned, hugepages.HUGE_PAGE, hugepages.MADV_HUGEPAGE)
    return madvise(aligned, hugepages.HUGE_PAGE, hugepages.MADV_COLLAPSE) == 0


def _anon_huge_kb(pid: int) -> int:
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("AnonHugePages:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="transparent huge pages are Linux's")
def test_a_zygote_told_of_many_sessions_moves_its_heap_to_huge_pages(sandbox, tmp_path):
    import time

    from grader.engine.warm import wait_ready

    if not _kernel_collapses():
        pytest.skip("this kernel does not collapse memory into huge pages (MADV_COLLAPSE, Linux 6.1)")
    wait_ready(sandbox)  # the test session's sandbox was told at its start (tests/conftest.py)
    deadline = time.monotonic() + 60
    while _anon_huge_kb(sandbox.zygote._proc.pid) < 50 * 1024 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _anon_huge_kb(sandbox.zygote._proc.pid) >= 50 * 1024  # of its ~210 MB
    before, optimizer, after = _probe(sandbox, tmp_path)  # sessions forked from it work as before
    assert before is True and "SGD" in optimizer.type_name
