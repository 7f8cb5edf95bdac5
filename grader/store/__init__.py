"""The SQLite store: the only package that talks SQL, written only by the trusted grader process.

    store/db.py          opening and migrating the file, transactions, students, errors
    store/migrations.py  the schema, one numbered migration at a time (sqlite_utils.Migrations)
    store/attempts.py    exercise attempts with their tests, metrics and trace; hint uses
    store/quizzes.py     quiz attempts and responses; flashcard review states and logs
    store/bundles.py     collected bundles, the regrade jobs they give, a student's own rows
    store/reports.py     what reports and item analysis read

`Store` puts the table families' methods on one connection: `open_store(path).record_attempt(...)`.
"""

from __future__ import annotations

from pathlib import Path

from grader.startup import import_sqlite_utils

import_sqlite_utils()  # before anything below imports sqlite_utils

from grader.engine.results import now  # noqa: E402
from grader.store.attempts import AttemptRows  # noqa: E402
from grader.store.bundles import BundleRows  # noqa: E402
from grader.store.db import Connection, StoreError, connect, translate_errors  # noqa: E402
from grader.store.quizzes import QuizRows  # noqa: E402
from grader.store.reports import ReportRows  # noqa: E402

__all__ = ["Store", "StoreError", "open_store", "now", "translate_errors"]


class Store(AttemptRows, QuizRows, BundleRows, ReportRows, Connection):
    """One database connection with every table family's methods."""


def open_store(path: Path, *, create_folder: bool = True) -> Store:
    """Open (creating and migrating on first use) the database at `path`. create_folder=False: a
    missing folder is an error (a path the user typed, see AppContext.store)."""
    path = Path(path)
    db = connect(path, create_folder=create_folder)
    from grader.sandbox.protected import protect_path

    protect_path(path)  # sandboxed student code must not even read it (where mounts allow)
    return Store(db, path)
