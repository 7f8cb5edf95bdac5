"""The connection: opening (and migrating) the database, transactions, students, errors.

WAL and a busy timeout let several graders share one file; every write is one IMMEDIATE
transaction, so it is either whole or absent.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


from grader.startup import import_sqlite_utils  # noqa: E402

import_sqlite_utils()

from sqlite_utils import Database  # noqa: E402

from grader.engine.results import now  # noqa: E402  (re-exported)
from grader.errors import UsageProblem  # noqa: E402
from grader.store.migrations import migrations  # noqa: E402

BUSY_TIMEOUT_MS = 30_000


class StoreError(UsageProblem):
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


class Connection:
    """The database handle every table family's methods share (see grader.store)."""

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

    def close(self) -> None:
        self.db.close()


def connect(path: Path, *, create_folder: bool = False) -> Database:
    """Open (creating and migrating on first use) the database at `path`. A missing folder is an
    error unless create_folder (the workspace's own .grade/): a mistyped --db must not look like
    lost progress in a fresh database."""
    path = Path(path)
    with translate_errors(path):
        if not path.parent.exists():
            if not create_folder:
                raise StoreError(f"Cannot open the database {path}: the folder {path.parent} does not exist. "
                                 "Check the path (or create the folder first).")
            path.parent.mkdir(parents=True, exist_ok=True)
        return _open_with_retries(path)


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
