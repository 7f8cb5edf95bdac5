"""`grade all`: every exercise, each isolated, graded in parallel processes; exit 0 only if all pass."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

from grader import course
from grader.cli import cli
from grader.engine.pool import Job, _ForkPool, grade_many
from grader.engine.warm import wait_ready
from grader.store import open_store


def solve(workspace, *names: str) -> None:
    for name in names:
        ex = course.load().find(name)
        shutil.copyfile(course.SOLUTIONS_DIR / ex.solution, workspace.student_file(ex))


def test_grades_every_exercise_stores_each_and_exits_1_unless_all_pass(runner, workspace, sandbox):
    solve(workspace, "exercise1", "exercise3")
    result = runner.invoke(cli, ["all", "--json", "--jobs", "2", "--seed", "3"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)  # exactly one JSON object: progress stays off stdout
    names = [e["exercise"] for e in payload["exercises"]]
    assert names == course.load().names()
    passed = {e["exercise"] for e in payload["exercises"] if e["passed"]}
    assert passed == {"exercise1", "exercise3"}
    assert payload["passed"] is False and payload["complete"] is True
    store = open_store(workspace.default_db)
    try:
        stored = {a["exercise"]: a for a in store.attempts("tester")}
    finally:
        store.close()
    assert set(stored) == set(names)
    assert stored["exercise1"]["passed"] == 1 and stored["exercise2"]["passed"] == 0
    assert all(a["seed"] == 3 and a["complete"] == 1 for a in stored.values())


def test_exits_0_when_every_exercise_passes_and_shows_a_summary(runner, workspace, sandbox):
    solve(workspace, "exercise1", "exercise2", "exercise3")
    result = runner.invoke(cli, ["all", "exercise1", "requires-grad", "exercise2", "backward"])
    assert result.exit_code == 0, result.output
    assert "3/3 passed" in result.output  # each named exercise once, exercise1 not graded twice
    for title in ("Turn on gradient tracking", "Call backward() and read .grad"):
        assert title in result.output


def test_a_missing_file_fails_that_exercise_only(runner, workspace, sandbox):
    solve(workspace, "exercise1")
    workspace.student_file(course.load().find("exercise2")).unlink()
    result = runner.invoke(cli, ["all", "exercise1", "exercise2", "--json"])
    assert result.exit_code == 1
    rows = {e["exercise"]: e for e in json.loads(result.stdout)["exercises"]}
    assert rows["exercise1"]["passed"] is True
    assert "No such file" in rows["exercise2"]["error"]


def _probe(job: Job, box) -> tuple[int, float, float]:
    started = time.monotonic()
    time.sleep(0.5)
    return os.getpid(), started, time.monotonic()


def test_the_pool_grades_in_parallel_processes(sandbox):
    wait_ready(sandbox)
    seen: dict[str, tuple] = {}
    jobs = [Job("exercise1", course.SOLUTIONS_DIR / "x.py", key=i) for i in range(4)]
    _ForkPool(sandbox, 2, grade_fn=_probe).run(jobs, lambda job, r, e: seen.__setitem__(job.key, r))
    assert sorted(seen) == [0, 1, 2, 3]
    by_pid: dict[int, list[tuple[float, float]]] = {}
    for pid, start, end in seen.values():
        by_pid.setdefault(pid, []).append((start, end))
    assert len(by_pid) == 2 and os.getpid() not in by_pid
    (a0, a1), (b0, b1) = (min(spans) for spans in by_pid.values())
    assert a0 < b1 and b0 < a1, "the two processes never graded at the same time"


def _grade_and_name_the_zygote(job: Job, box):
    from grader.engine.pool import grade_job

    result = grade_job(job, box)
    return result.passed, box.zygote._zygote._proc.pid


def test_grading_processes_share_the_parents_warm_zygote(sandbox):
    wait_ready(sandbox)
    m = course.load()
    got = {}
    jobs = [Job(n, course.SOLUTIONS_DIR / m.find(n).solution, seed=2) for n in ("exercise1", "exercise2", "exercise3")]
    _ForkPool(sandbox, 2, grade_fn=_grade_and_name_the_zygote).run(jobs, lambda job, r, e: got.__setitem__(job.exercise, (r, e)))
    assert {name: r for name, (r, e) in got.items()} == {n: (True, sandbox.zygote._proc.pid) for n in got}
    assert len(got) == 3


def _dies_on_second(job: Job, box):
    if job.key == 1:
        os._exit(3)
    return job.key


def test_a_dead_grading_process_fails_its_job_and_the_rest_still_run(sandbox):
    wait_ready(sandbox)
    outcomes: dict[int, tuple] = {}
    jobs = [Job("exercise1", course.SOLUTIONS_DIR / "x.py", key=i) for i in range(4)]
    _ForkPool(sandbox, 2, grade_fn=_dies_on_second).run(jobs, lambda job, r, e: outcomes.__setitem__(job.key, (r, e)))
    assert outcomes[1][0] is None and "stopped unexpectedly" in outcomes[1][1]
    assert {k: v[0] for k, v in outcomes.items() if k != 1} == {0: 0, 2: 2, 3: 3}


def _job_and_pid(job: Job, box) -> tuple[int, int]:
    if job.key == 1:
        os._exit(3)
    time.sleep(0.05)
    return job.key, os.getpid()


def test_with_a_queue_of_two_the_jobs_queued_behind_a_dead_process_are_still_graded(sandbox):
    wait_ready(sandbox)
    outcomes: dict[int, tuple] = {}
    jobs = [Job("exercise1", course.SOLUTIONS_DIR / "x.py", key=i) for i in range(8)]
    _ForkPool(sandbox, 2, grade_fn=_job_and_pid, queue=2).run(
        jobs, lambda job, r, e: outcomes.__setitem__(job.key, (r, e)))
    assert sorted(outcomes) == list(range(8))  # each reported once, the one queued behind job 1 too
    assert outcomes[1][0] is None and "stopped unexpectedly" in outcomes[1][1]
    assert all(outcomes[k][0][0] == k for k in outcomes if k != 1)
    assert len({r[1] for k, (r, e) in outcomes.items() if k != 1}) >= 2


def test_grade_many_reports_real_results(sandbox):
    m = course.load()
    jobs = [Job(name, course.SOLUTIONS_DIR / m.find(name).solution, seed=1) for name in ("exercise1", "exercise2")]
    jobs.append(Job("exercise3", course.exercises_dir() / m.find("exercise3").file, seed=1))
    got = {}
    grade_many(jobs, lambda job, r, e: got.__setitem__(job.exercise, (r, e)), workers=2, sandbox=sandbox)
    assert {k: (r.passed, e) for k, (r, e) in got.items()} == {
        "exercise1": (True, None), "exercise2": (True, None), "exercise3": (False, None)}


def test_spawn_fallback_grades_correctly_when_forced(workspace):
    """Where fork is unsafe (macOS, Windows): a spawn pool, and a fresh worker per session."""
    solve(workspace, "exercise1")
    env = {k: v for k, v in os.environ.items() if k != "GRADER_DB"}
    env.update(GRADER_WORKER_BACKEND="spawn", GRADER_STUDENT="tester")
    proc = subprocess.run([sys.executable, "-m", "grader", "all", "exercise1", "exercise2", "--jobs", "2", "--json"],
                          cwd=workspace.root, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr[-2000:]
    rows = {e["exercise"]: e for e in json.loads(proc.stdout)["exercises"]}
    assert rows["exercise1"]["passed"] is True
    assert rows["exercise2"]["passed"] is False and rows["exercise2"]["score"] == 0
    assert all(t["status"] == "error" for t in rows["exercise2"]["tests"])  # the stub's RuntimeError
