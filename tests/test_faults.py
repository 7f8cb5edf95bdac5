"""Faults around grading and the store, with real processes and real files (no mocks).

- 8 concurrent `grade` processes on one database, several attempts each: each stored once.
- 8 concurrent writers hammering the store directly: each attempt stored once, all whole.
- `kill -9` of a writer inside its transaction, and at random moments: the database opens
  cleanly and every attempt is whole or absent.
- `kill -9` of `grade` mid-grading: nothing it started keeps running; no partial attempt.
- A read-only database, a full disk (before and during grading): a clear `Error:` line.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hostile import _harness as h

SOLUTION = h.REPO / "grader/course/solutions/ex01_requires_grad.py"
STUB = h.REPO / "exercises/ex01_requires_grad.py"
HANGS = h.REPO / "tests/hostile/loop_in_call.py"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("GRADER_DB", None)
    env["GRADER_STUDENT"] = "tester"
    env.update(extra)
    return env


def _db(path: Path) -> dict:
    return h.inspect_database(path)


def _attempt_sizes(path: Path) -> list[tuple[int, int, int]]:
    """(seed, passed, number of test rows) for every attempt."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        return conn.execute(
            "select a.seed, a.passed, (select count(*) from test_results t where t.attempt_id = a.id)"
            " from attempts a order by a.id").fetchall()
    finally:
        conn.close()


def _can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


# --- concurrency -------------------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from grader.engine.results import AttemptResult, TestOutcome
    from grader.store import now, open_store

    db, who, n = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    for i in range(n):
        store = open_store(db)  # one open per attempt, like separate `grade` runs
        tests = [TestOutcome(f"t{k}", "passed" if (i + k) % 2 else "failed", 0.0, 1.0) for k in range(3)]
        store.record_attempt(f"student{who}", AttemptResult(
            exercise="exercise1", slug="requires-grad", title="t", seed=who * 1000 + i,
            started_at=now(), tests=tests))
        store.close()
        print(who * 1000 + i, flush=True)
""")


def test_eight_concurrent_store_writers_store_every_attempt_exactly_once(tmp_path):
    db = tmp_path / "shared.db"  # created and migrated by whichever writer comes first
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(w), "40"], env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for w in range(1, 9)]
    reported = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()[-2000:]
        reported += [int(x) for x in out.split()]
    rows = _attempt_sizes(db)
    assert len(reported) == 320
    assert sorted(seed for seed, _, _ in rows) == sorted(reported)  # each exactly once
    assert all(n == 3 for _, _, n in rows)
    assert _db(db)["integrity"] == "ok"


GRADER_LOOP = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from _harness import short_limits
    from grader.app.context import AppContext
    from grader.cli import cli
    from grader.sandbox.client import Sandbox

    db, files = sys.argv[2], sys.argv[3:]
    box = Sandbox()
    box.confinement()  # wait for the warm worker, so the exercise's time limit is not spent on it
    codes = []
    with short_limits(test_timeout_s=60.0, timeout_s=120.0):  # 16 Pythons share the CPUs here
        for f in files:
            codes.append(cli.main(["--db", db, "exercise1", "--file", f, "--json"], prog_name="grade",
                                  standalone_mode=False, obj=AppContext(sandbox_factory=lambda: box)))
    box.close()
    sys.exit(0 if all(c in (0, 1) for c in codes) else 3)
""")


def test_eight_concurrent_grade_processes_store_every_attempt_exactly_once(tmp_path):
    db = tmp_path / "class.db"
    files = [str(SOLUTION), str(STUB), str(SOLUTION)]
    procs = [subprocess.Popen([sys.executable, "-c", GRADER_LOOP, str(h.CASES_DIR), str(db), *files],
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(8)]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err.decode()[-2000:]
        assert b"Traceback" not in err
        reports += [json.loads(line) for line in out.decode().splitlines() if line.strip()]
    assert len(reports) == 24
    rows = {seed: (passed, n) for seed, passed, n in _attempt_sizes(db)}
    assert len(rows) == 24 and sorted(rows) == sorted(r["seed"] for r in reports)
    for r in reports:
        assert rows[r["seed"]] == (int(r["passed"]), len(r["tests"]))  # stored as judged, whole
    assert sum(r["passed"] for r in reports) == 16  # the solution passes, the stub fails
    assert _db(db)["integrity"] == "ok"


# --- kill -9 ---------------------------------------------------------------------------------------

STUCK_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlite_utils.db import Table
    from grader.engine.results import AttemptResult, TestOutcome
    from grader.store import now, open_store

    def result(seed, n):
        return AttemptResult(exercise="exercise1", slug="requires-grad", title="t", seed=seed,
                             started_at=now(), tests=[TestOutcome(f"t{k}", "failed", 0.0, 1.0) for k in range(n)])

    store = open_store(Path(sys.argv[1]))
    store.record_attempt("tester", result(1, 5))
    original = Table.insert_all

    def stuck(self, records, *args, **kwargs):
        records = list(records)
        if self.name == "test_results":  # half the rows in, inside the open transaction
            original(self, records[:2], *args, **kwargs)
            print("inside the transaction", flush=True)
            time.sleep(120)
        return original(self, records, *args, **kwargs)

    Table.insert_all = stuck
    store.record_attempt("tester", result(2, 5))
""")


def test_kill_9_inside_the_transaction_leaves_the_attempt_absent(tmp_path):
    db = tmp_path / "g.db"
    proc = subprocess.Popen([sys.executable, "-c", STUCK_WRITER, str(db)], env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = proc.stdout.readline()
    assert line.strip() == b"inside the transaction", proc.stderr.read().decode()[-2000:]
    proc.kill()
    proc.wait(10)
    from grader.store import open_store

    store = open_store(db)  # opens cleanly: the WAL's uncommitted frames are ignored
    store.close()
    assert _db(db)["integrity"] == "ok"
    assert _attempt_sizes(db) == [(1, 0, 5)]  # the first attempt whole, the second absent


LOOPING_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from grader.engine.results import AttemptResult, TestOutcome
    from grader.store import now, open_store

    store = open_store(Path(sys.argv[1]))
    print("ready", flush=True)
    seed = int(sys.argv[2])
    while True:
        seed += 1
        store.record_attempt("tester", AttemptResult(
            exercise="exercise1", slug="requires-grad", title="t", seed=seed, started_at=now(),
            tests=[TestOutcome(f"t{k}", "failed", 0.0, 1.0, message="x" * 200) for k in range(50)]))
""")


def test_kill_9_at_random_moments_leaves_every_attempt_whole_or_absent(tmp_path):
    db = tmp_path / "g.db"
    rng = random.Random(1234)
    for round_ in range(8):
        proc = subprocess.Popen([sys.executable, "-c", LOOPING_WRITER, str(db), str(round_ * 100_000)],
                                env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read().decode()[-2000:]
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        state = _db(db)
        assert state["integrity"] == "ok"
        assert all(n == 50 for _, _, n in _attempt_sizes(db)), "a partial attempt was stored"
    assert len(_attempt_sizes(db)) > 0  # the writers did get attempts in between kills


def _session_processes(root: Path) -> list[str]:
    """Processes whose working directory or command line lies under `root` (the grade's TMPDIR)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cwd = os.readlink(f"/proc/{pid}/cwd")
        except OSError:
            cwd = ""
        if (cwd.startswith(str(root)) or str(root) in h._cmdline(pid)) and h._state(pid) not in ("Z", "X"):
            found.append(f"{pid} {cwd} {h._cmdline(pid)[:100]}")
    return found


def test_kill_9_of_grade_mid_grading_leaves_nothing_running_and_no_partial_attempt(tmp_path):
    db = tmp_path / "g.db"
    h.seed_database(db)
    tmp = tmp_path / "t"
    tmp.mkdir()
    proc = subprocess.Popen([sys.executable, str(h.DRIVER), "--db", str(db), "exercise1", "--file",
                             str(HANGS), "--json"], env=_env(TMPDIR=str(tmp)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not list(tmp.glob("grade-sandbox-*/s-*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # a worker session exists: the student's loop is running now
    assert list(tmp.glob("grade-sandbox-*/s-*")), proc.stderr.read().decode()[-2000:]
    time.sleep(0.5)
    assert _session_processes(tmp), "expected the zygote and a worker to be running"
    proc.kill()  # kill -9 of the grader itself
    proc.wait(10)
    deadline = time.monotonic() + 15
    while _session_processes(tmp) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(tmp) == [], "processes outlived the killed grader"
    from grader.store import open_store

    open_store(db).close()
    assert _db(db)["integrity"] == "ok"
    assert [(seed, n) for seed, _, n in _attempt_sizes(db)] == [(1, 1)]  # only the seeded attempt


# --- read-only database, full disk -------------------------------------------------------------------

def _grade_in(script: str, tmp_path: Path) -> tuple[int, str, str]:
    out, err = tmp_path / "out", tmp_path / "err"
    full = f"set -u\n{script}\n"
    run = subprocess.run(["unshare", "-m", "sh", "-c", full], env=_env(OUT=str(out), ERR=str(err)),
                         capture_output=True, timeout=600)
    assert run.returncode == 0, run.stderr.decode()[-2000:] + run.stdout.decode()[-2000:]
    return int(run.stdout.decode().split("rc=")[-1].split()[0]), out.read_text(), err.read_text()


def _driver(db: str, file: Path) -> str:
    return f'"{sys.executable}" "{h.DRIVER}" --db {db} exercise1 --file "{file}" --json > "$OUT" 2> "$ERR"'


def _assert_clear_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2, err  # a problem the user fixes (the message says how)
    assert out == "", "no JSON is printed for an attempt that could not be stored"
    assert err.startswith("Error: ") and err.count("\n") <= 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def test_read_only_database_gives_a_clear_error(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "g.db"
    h.seed_database(db)
    if _can_mount():
        code, out, err = _grade_in(
            f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"\n'
            f'{_driver(str(db), STUB)}\necho "rc=$?"', tmp_path)
    elif os.geteuid() != 0:
        db.chmod(0o444)
        folder.chmod(0o555)
        run = subprocess.run([sys.executable, str(h.DRIVER), "--db", str(db), "exercise1", "--file",
                              str(STUB), "--json"], env=_env(), capture_output=True, timeout=600)
        folder.chmod(0o755)
        code, out, err = run.returncode, run.stdout.decode(), run.stderr.decode()
    else:
        pytest.skip("root without mount privileges: permissions cannot make a file read-only for root")
    _assert_clear_error(code, out, err, "read-only", "--db PATH")
    assert [(seed, n) for seed, _, n in _attempt_sizes(db)] == [(1, 1)]


@pytest.mark.skipif(not _can_mount(), reason="a full disk is simulated with a tiny tmpfs, which needs "
                    "root and mount privileges (unshare -m)")
@pytest.mark.parametrize("when", ["before grading", "during grading"])
def test_full_disk_gives_a_clear_error_and_stores_nothing(tmp_path, when):
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    db = mnt / "g.db"
    seed = f'"{sys.executable}" -c "import sys; sys.path.insert(0, \'{h.CASES_DIR}\'); ' \
           f'import _harness as h; from pathlib import Path; h.seed_database(Path(\'{db}\'))"'
    fill = f'dd if=/dev/zero of="{mnt}/filler" bs=4k 2>/dev/null'
    if when == "before grading":
        grade = f"{fill}\n{_driver(str(db), SOLUTION)}\nrc=$?"
    else:  # the store is open and grading runs when the disk fills up
        grade = (f"{_driver(str(db), SOLUTION)} &\npid=$!\n"
                 f'while [ ! -e "{db}-wal" ]; do sleep 0.05; done\n{fill}\nwait $pid\nrc=$?')
    check = (f'rm "{mnt}/filler"\n"{sys.executable}" -c "import sqlite3; c = sqlite3.connect(\'{db}\'); '
             f'print(c.execute(\'pragma integrity_check\').fetchone()[0], '
             f'c.execute(\'select count(*) from attempts\').fetchone()[0])" > "{tmp_path}/check"')
    code, out, err = _grade_in(
        f'mount -t tmpfs -o size=2m tmpfs "{mnt}"\n{seed}\n{grade}\n{check}\necho "rc=$rc"', tmp_path)
    _assert_clear_error(code, out, err, "disk is full")
    assert (tmp_path / "check").read_text().split() == ["ok", "1"]  # intact, nothing partial added
