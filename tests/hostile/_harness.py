"""Runs one hostile submission through `grade EXERCISE --file PATH --json` and checks everything.

Used by tests/test_hostile_corpus.py (one test per case) and tests/hostile/tally.py (the figures
in SECURITY.md), so both count the same things. Every case file starts with a header:

    # attack: what the submission tries
    # expect: fail | pass   (pass only where the code is genuinely correct)
    # exercise: exercise1   (default)
    # status: timeout        (optional: at least one test must end with this status)
    # run: in-process | subprocess | both   (default in-process)

Placeholders {{DB_PATH}}, {{COPY_DIR}}, {{PORT}}, {{MARKER}} and {{TOKEN}} are filled in per run,
so attacks on the database and on grader files hit this run's real database and a copy of the
grader's files — never the repository.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CASES_DIR = Path(__file__).resolve().parent
REPO = CASES_DIR.parents[1]
DRIVER = CASES_DIR / "_driver.py"
WALL_BOUND_S = 30.0  # "within its time limit": 2 s per test, 4.5 s per exercise, generous slack
SUBPROCESS_BOUND_S = 90.0  # a separate `grade` also starts Python and imports torch twice
JSON_BOUND_BYTES = 64_000
PROCESS_MARKER = "hostile-orphan"  # every process a case leaves behind carries this in argv
TEST_LIMITS = {"test_timeout_s": 2.0, "timeout_s": 4.5, "memory_mb": 512}
SENTINELS = (  # lines of hidden tests and solutions that must never reach the student
    "expect_requires_grad(w, name=",
    "requires_grad=True makes autograd record",
    "expect_grad(grad, 3 * torch.tensor(values) ** 2",
)
WATCHED_FILES = [
    REPO / "grader/course/hidden/test_requires_grad.py",
    REPO / "grader/course/hidden/test_inplace.py",
    REPO / "grader/course/hidden/test_backward.py",
    REPO / "grader/course/solutions/ex01_requires_grad.py",
    REPO / "grader/course/solutions/ex03_backward.py",
]  # what an escaped attack would go for; not files other work in this tree may be editing


@dataclass
class Case:
    path: Path
    attack: str
    expect: str = "fail"
    exercise: str = "exercise1"
    status: str | None = None
    run: str = "in-process"

    @property
    def name(self) -> str:
        return self.path.stem


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.py")):
        if path.name.startswith("_") or path.name == "tally.py":
            continue
        header: dict[str, str] = {}
        for line in path.read_text().splitlines():
            m = re.match(r"#\s*(attack|expect|exercise|status|run):\s*(.+)", line)
            if m:
                header.setdefault(m.group(1), m.group(2).strip())
            elif line.strip() and not line.startswith("#"):
                break
        if "attack" not in header:
            raise ValueError(f"{path.name} has no '# attack:' header")
        cases.append(Case(path, **header))
    return cases


def test_manifest(**overrides: float):
    """exercises 1-3 and 10 (a training loop) of the course manifest with short limits, so hanging
    cases cost seconds."""
    from grader import course
    from grader.course.manifest import load_manifest

    full = load_manifest(course.manifest_path())
    keep = [e.model_copy(update={**TEST_LIMITS, **overrides}) for e in full.exercises
            if e.name in ("exercise1", "exercise2", "exercise3", "exercise10")]
    return full.model_copy(update={"exercises": keep})


@contextlib.contextmanager
def short_limits(**overrides: float):
    """Gradings inside the block see the course's manifest with short limits (grader.course.load,
    the one way to the manifest, is swapped)."""
    from grader import course

    saved = course.load
    fixed = test_manifest(**overrides)
    course.load = lambda: fixed
    try:
        yield fixed
    finally:
        course.load = saved


# --- processes -------------------------------------------------------------------------------------

def _cmdline(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _state(pid: int | str) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return stat[stat.rfind(b")") + 2:stat.rfind(b")") + 3].decode()
    except OSError:
        return "X"


def marked_processes(marker: str = PROCESS_MARKER) -> list[int]:
    return [int(p) for p in os.listdir("/proc")
            if p.isdigit() and marker in _cmdline(p) and _state(p) not in ("Z", "X")]


def live_descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            with open(f"/proc/{p}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        rest = stat[stat.rfind(b")") + 2:].split()
        if rest[0] not in (b"Z", b"X"):
            children.setdefault(int(rest[1]), []).append(int(p))
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def leftovers(sandbox, token: str, wait_s: float = 5.0) -> list[str]:
    """Processes that outlived the grade: marked ones anywhere, and any live zygote child."""
    deadline = time.monotonic() + wait_s
    while True:
        left = [f"{p}: {_cmdline(str(p))[:120]}" for p in marked_processes(token)]
        zygote = getattr(getattr(sandbox, "zygote", None), "_proc", None) if sandbox else None
        if zygote is not None and zygote.poll() is None:
            left += [f"{p} (under the zygote): {_cmdline(str(p))[:120]}" for p in live_descendants(zygote.pid)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


# --- the database ----------------------------------------------------------------------------------

def seed_database(db: Path) -> None:
    """An earlier failed attempt, so an attack that flips rows to passed has something to flip."""
    from grader.engine.results import AttemptResult, TestOutcome
    from grader.store import now, open_store

    store = open_store(db)
    try:
        store.record_attempt("tester", AttemptResult(
            exercise="exercise1", slug="requires-grad", title="earlier", seed=1, started_at=now(),
            tests=[TestOutcome("test_earlier", "failed", 0.0, 1.0)]))
    finally:
        store.close()


def inspect_database(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("select id, passed, seed, score, max_score from attempts order by id").fetchall()
        tests = dict(conn.execute("select attempt_id, count(*) from test_results group by attempt_id").fetchall())
    finally:
        conn.close()
    return {"integrity": integrity, "rows": rows, "tests": tests}


def file_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p).encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()


def tree_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


# --- one run ---------------------------------------------------------------------------------------

@dataclass
class Outcome:
    case: str
    mode: str
    exit_code: int | None
    elapsed_s: float
    stdout: str
    stderr: str
    report: dict | None  # the parsed --json object
    json_problem: str
    leftovers: list[str]
    integrity: str
    rows_added: int
    stored_passed: bool | None
    other_passed_rows: int  # rows marked passed that the grader did not write
    repo_intact: bool
    copy_intact: bool
    listener_hits: int
    marker_created: bool
    expected_pass: bool
    extra: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.report and self.report.get("passed"))

    @property
    def outputs(self) -> str:
        return "\n".join(t.get("output", "") for t in (self.report or {}).get("tests", []))

    @property
    def statuses(self) -> set[str]:
        return {t.get("status", "") for t in (self.report or {}).get("tests", [])}

    @property
    def forged_pass(self) -> bool:
        """A pass recorded for code that is not correct, by the grader or in its database."""
        wrong = not self.expected_pass and (self.passed or bool(self.stored_passed))
        return wrong or self.other_passed_rows > 0

    @property
    def hung(self) -> bool:
        bound = SUBPROCESS_BOUND_S if self.mode == "subprocess" else WALL_BOUND_S
        return self.elapsed_s > bound or self.exit_code is None

    @property
    def row_lost(self) -> bool:
        """The grade finished (it printed its result) but its attempt is not stored exactly once."""
        return self.report is not None and self.extra.get("grader_rows") != 1


class Listener:
    """A TCP server on 127.0.0.1 that counts connections: the network attack's target."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def render(case: Case, folder: Path, values: dict[str, str]) -> Path:
    text = case.path.read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    out = folder / case.path.name
    out.write_text(text)
    return out


def run_case(case: Case, folder: Path, sandbox, mode: str = "in-process") -> Outcome:
    """Grade the case once; `sandbox` is the warm shared sandbox (in-process runs use it)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "grader.db"
    seed_database(db)
    copy_dir = folder / "grader-copy"
    shutil.copytree(REPO / "grader" / "course", copy_dir / "course",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "exercises" / "manifest.toml", copy_dir / "manifest.toml")
    copy_before = file_digest(tree_files(copy_dir))
    repo_before = file_digest(WATCHED_FILES)
    marker = folder / "forged-reply-ran"
    token = f"{PROCESS_MARKER}-{os.getpid()}-{time.monotonic_ns()}"
    listener = Listener()
    try:
        student = render(case, folder, {
            "DB_PATH": str(db), "COPY_DIR": str(copy_dir), "PORT": str(listener.port),
            "MARKER": str(marker), "TOKEN": token,
        })
        before = inspect_database(db)
        args = ["--db", str(db), case.exercise, "--file", str(student), "--json"]
        started = time.monotonic()
        if mode == "subprocess":
            code, out, err = _run_subprocess(args, folder)
        else:
            code, out, err = _run_in_process(args, sandbox)
        elapsed = time.monotonic() - started
        left = leftovers(sandbox if mode != "subprocess" else None, token)
        time.sleep(0.3)  # a connection attempt racing the end of the grade still counts
    finally:
        listener.close()
    report, problem = _parse(out)
    after = inspect_database(db)
    new_rows = [r for r in after["rows"] if r[0] not in {b[0] for b in before["rows"]}]
    grader_row = new_rows[-1] if new_rows else None
    if report is not None and new_rows:
        grader_row = next((r for r in new_rows if r[2] == report.get("seed")), grader_row)
    others = [r for r in after["rows"] if r is not grader_row and r[1]]
    return Outcome(
        case=case.name, mode=mode, exit_code=code, elapsed_s=elapsed, stdout=out, stderr=err,
        report=report, json_problem=problem, leftovers=left, integrity=after["integrity"],
        rows_added=len(new_rows), stored_passed=bool(grader_row[1]) if grader_row else None,
        other_passed_rows=len(others), repo_intact=file_digest(WATCHED_FILES) == repo_before,
        copy_intact=file_digest(tree_files(copy_dir)) == copy_before, listener_hits=listener.hits,
        marker_created=marker.exists(), expected_pass=case.expect == "pass",
        extra={"row_tests": after["tests"].get(grader_row[0], 0) if grader_row else None,
               "grader_rows": sum(1 for r in new_rows if report and r[2] == report.get("seed"))},
    )


def _parse(out: str) -> tuple[dict | None, str]:
    if len(out.encode()) > JSON_BOUND_BYTES:
        return None, f"stdout is {len(out.encode())} bytes"
    try:
        obj, end = json.JSONDecoder().raw_decode(out.strip())
    except ValueError as exc:
        return None, f"stdout is not JSON: {exc}: {out[:200]!r}"
    if out.strip()[end:].strip():
        return None, f"more than one JSON value on stdout: {out[:200]!r}"
    if not isinstance(obj, dict):
        return None, "stdout is JSON but not an object"
    return obj, ""


def _run_in_process(args: list[str], sandbox) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from grader.app.context import AppContext
    from grader.cli import cli

    with short_limits():
        result = CliRunner().invoke(cli, args, catch_exceptions=True,
                                    obj=AppContext(sandbox_factory=lambda: sandbox))
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        err += "".join(traceback.format_exception(result.exception))
    return result.exit_code, result.stdout, err


def _run_subprocess(args: list[str], folder: Path) -> tuple[int | None, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["GRADER_STUDENT"] = "tester"
    env.pop("GRADER_DB", None)
    proc = subprocess.Popen([sys.executable, str(DRIVER), *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=SUBPROCESS_BOUND_S + 60)
        return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        return None, out.decode(errors="replace"), err.decode(errors="replace")


def confinement(sandbox) -> dict:
    try:
        return sandbox.confinement()
    except Exception as exc:  # pragma: no cover - reported, then the strict checks are skipped
        return {"layers": [], "errors": [str(exc)]}
