"""The SQLite store, written only by the trusted grader process.

WAL and a busy timeout let several graders share one file; every attempt is written in one
IMMEDIATE transaction, so it is either whole or absent.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator


def _import_sqlite_utils() -> None:
    """sqlite_utils imports numpy and pandas (0.1 s and more) only to map their scalar types,
    which the grader never stores. Outside grading processes (numpy not loaded yet) hide them
    while it loads, so `grade list` and other torch-free commands start fast."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_import_sqlite_utils()

from sqlite_utils import Database  # noqa: E402

from grader import __version__  # noqa: E402
from grader.errors import GraderError  # noqa: E402
from grader.migrations import migrations  # noqa: E402

BUSY_TIMEOUT_MS = 30_000


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class StoreError(GraderError):
    pass


def _explain(exc: sqlite3.Error, path: Path) -> StoreError:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return StoreError(f"Cannot write to the database {path}: it is read-only. "
                          "Check its permissions, or pass --db PATH to use another file.")
    if "disk is full" in text or ("disk I/O error" in text and _nearly_full(path)):
        return StoreError(f"Cannot write to the database {path}: the disk is full. Free some space and retry.")
    if "unable to open" in text:
        import os

        if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            # A WAL database needs its folder writable too (for the -wal and -shm files).
            return StoreError(f"Cannot write to the database {path}: it or its folder is read-only. "
                              "Check the permissions (or the mount), or pass --db PATH to use another file.")
        return StoreError(f"Cannot open the database {path}: check that its folder exists and is writable.")
    if "not a database" in text or "malformed" in text:
        return StoreError(f"{path} is not a usable grader database ({text}). Move it aside or pass --db PATH.")
    return StoreError(f"Database error in {path}: {text}")


def _nearly_full(path: Path) -> bool:
    """SQLite reports a full disk as an I/O error when it cannot even create its -shm file."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise _explain(exc, path) from None
    except OSError as exc:
        raise StoreError(f"Cannot use the database {path}: {exc.strerror or exc}") from None


class Store:
    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One IMMEDIATE transaction: takes the write lock up front, so no upgrade deadlocks."""
        with translate_errors(self.path):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.rollback()
                raise
            else:
                self.db.execute("COMMIT")

    # -- students -------------------------------------------------------------------------
    def student_id(self, name: str) -> int:
        row = self.db.execute("select id from students where name = ?", [name]).fetchone()
        if row:
            return row[0]
        with self.transaction() as db:
            return self.student_id_in(db, name)

    def student_id_in(self, db: Database, name: str) -> int:
        """The student's id, created if new, inside the caller's open transaction."""
        db.execute("insert or ignore into students (name, created_at) values (?, ?)", [name, now()])
        return db.execute("select id from students where name = ?", [name]).fetchone()[0]

    # -- attempts -------------------------------------------------------------------------
    def record_attempt(self, student: str, result, *, source: str = "", origin: str = "local") -> int:
        """Write an AttemptResult (grader.engine.results) with its tests, metrics and trace."""
        with self.transaction() as db:
            sid = self.student_id_in(db, student)
            attempt_id = db["attempts"].insert(
                {
                    "student_id": sid,
                    "exercise": result.exercise,
                    "slug": result.slug,
                    "passed": int(result.passed),
                    "score": result.score,
                    "max_score": result.max_score,
                    "duration_s": round(result.duration_s, 3),
                    "seed": result.seed,
                    "started_at": result.started_at,
                    "complete": int(result.complete),
                    "origin": origin,
                    "grader_version": __version__,
                    "source_sha256": result.source_sha256,
                    "source": source,
                    "diagnoses": json.dumps([d.to_json() for d in result.diagnoses]),
                    "status_message": result.status_message,
                }
            ).last_pk
            db["test_results"].insert_all(
                {
                    "attempt_id": attempt_id,
                    "position": i,
                    "name": t.name,
                    "status": t.status,
                    "score": t.score,
                    "max_score": t.max_score,
                    "message": t.message,
                    "duration_s": round(t.duration_s, 3),
                }
                for i, t in enumerate(result.tests)
            )
            db["metrics"].insert_all(
                {
                    "attempt_id": attempt_id,
                    "name": name,
                    "value": value,
                    "target_op": result.targets[name].op if name in result.targets else None,
                    "target_value": result.targets[name].value if name in result.targets else None,
                    "met": int(result.targets[name].met(value)) if name in result.targets else None,
                }
                for name, value in result.metrics.items()
            )
            db["trace"].insert_all(
                {"attempt_id": attempt_id, **row} for row in result.trace
            )
            return attempt_id

    def exercise_status(self, student: str, origin: str | None = None) -> dict[str, str]:
        """{exercise: 'passed' | 'attempted'} for one student; absent means pending."""
        sql = """select a.exercise, max(a.passed) from attempts a join students s on s.id = a.student_id
                 where s.name = ?""" + (" and a.origin = ?" if origin else "") + " group by a.exercise"
        rows = self.db.execute(sql, [student] + ([origin] if origin else [])).fetchall()
        return {ex: ("passed" if passed else "attempted") for ex, passed in rows}

    def has_passed(self, student: str, exercise: str) -> bool:
        return self.exercise_status(student).get(exercise) == "passed"

    def attempts(self, student: str | None = None, exercise: str | None = None) -> list[dict]:
        return self.student_rows("attempts", student, exercise=exercise)

    def student_rows(self, table: str, student: str | None = None, **equal: str | None) -> list[dict]:
        """Rows of an attempts-like table (one with student_id) with the student's name, oldest
        first; filtered by student name and by columns equal to the given values (None: any)."""
        sql = f"select a.*, s.name as student from {table} a join students s on s.id = a.student_id where 1=1"
        args: list = []
        if student:
            sql += " and s.name = ?"
            args.append(student)
        for column, value in equal.items():
            if value:
                sql += f" and a.{column} = ?"
                args.append(value)
        return list(self.db.query(sql + " order by a.id", args))

    # -- hints ----------------------------------------------------------------------------
    def hints_used(self, student: str, exercise: str) -> int:
        row = self.db.execute(
            """select count(distinct h.hint_number) from hint_uses h join students s on s.id = h.student_id
               where s.name = ? and h.exercise = ?""",
            [student, exercise],
        ).fetchone()
        return row[0] if row else 0

    def record_hint(self, student: str, exercise: str, hint_number: int) -> None:
        with self.transaction() as db:
            sid = self.student_id_in(db, student)
            db["hint_uses"].insert(
                {"student_id": sid, "exercise": exercise, "hint_number": hint_number, "used_at": now()}
            )

    def close(self) -> None:
        self.db.close()


def open_store(path: Path) -> Store:
    """Open (creating and migrating on first use) the database at `path`."""
    path = Path(path)
    with translate_errors(path):
        if not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        db = _open_with_retries(path)
    from grader.sandbox.protected import protect_path

    protect_path(path)  # sandboxed student code must not even read it (where mounts allow)
    return Store(db, path)


def _open_with_retries(path: Path) -> Database:
    """Set up the connection, retrying when another process holds a lock SQLite will not wait
    for: switching a new file to WAL and the first reads of a WAL file being recovered can
    return "database is locked" at once, without calling the busy handler, while several
    `grade` processes open one fresh database together."""
    import random
    import time

    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            return _set_up(Database(conn, execute_plugins=False))
        except sqlite3.OperationalError as exc:
            conn.close()
            text = str(exc)
            if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                raise
            time.sleep(delay * (1 + random.random()))  # jitter: concurrent openers spread out
            delay = min(delay * 2, 0.2)
        except BaseException:
            conn.close()
            raise


def _set_up(db: Database) -> Database:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    if migrations.pending(db):
        # The IMMEDIATE lock makes concurrent first openers migrate one at a time; the
        # second sees nothing pending (Migrations.apply nests in a savepoint).
        db.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(db)
        except BaseException:
            db.rollback()
            raise
        db.execute("COMMIT")
    return db
