"""The SQLite store: migrations, one-transaction attempts, statuses, hints, clear errors."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from grader.engine.results import AttemptResult, Diagnosis, TestOutcome
from grader.course.manifest import Target
from grader.store.migrations import migrations
from grader.store import StoreError, open_store


def make_result(exercise="exercise1", passed=True) -> AttemptResult:
    tests = [TestOutcome("test_a", "passed", 1, 1),
             TestOutcome("test_b", "passed" if passed else "failed", 2 if passed else 0, 2, message="m")]
    return AttemptResult(exercise=exercise, slug="s", title="t", seed=7, started_at="2026-01-01T00:00:00",
                         tests=tests, metrics={"loss": 0.05}, targets={"loss": Target(op="<", value=0.1)},
                         trace=[{"epoch": 1, "loss": 0.5, "accuracy": 0.6, "note": "start"}],
                         diagnoses=[Diagnosis("missing-requires-grad", "msg")])


def test_migrations_apply_once_and_record_themselves(db_path):
    store = open_store(db_path)
    applied = [m.name for m in migrations.applied(store.db)]
    assert applied[:2] == ["0001_initial", "0002_quizzes"]
    store.close()
    store = open_store(db_path)  # reopening applies nothing twice
    assert [m.name for m in migrations.applied(store.db)] == applied
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    store.close()


def test_record_attempt_writes_every_table(fresh_db):
    attempt_id = fresh_db.record_attempt("ada", make_result(), source="print(1)")
    db = fresh_db.db
    row = db["attempts"].get(attempt_id)
    assert row["passed"] == 1 and row["score"] == 3 and row["max_score"] == 3 and row["source"] == "print(1)"
    assert row["origin"] == "local" and row["complete"] == 1
    assert [r["name"] for r in db["test_results"].rows_where("attempt_id = ?", [attempt_id], order_by="position")] == ["test_a", "test_b"]
    metric = next(db["metrics"].rows_where("attempt_id = ?", [attempt_id]))
    assert metric["name"] == "loss" and metric["target_op"] == "<" and metric["met"] == 1
    assert next(db["trace"].rows_where("attempt_id = ?", [attempt_id]))["note"] == "start"
    assert "missing-requires-grad" in row["diagnoses"]


def test_failed_write_leaves_no_partial_attempt(fresh_db):
    bad = make_result()
    bad.trace = [{"epoch": 1, "loss": 0.1, "accuracy": None, "note": ""},
                 {"epoch": 1, "loss": 0.2, "accuracy": None, "note": ""}]  # duplicate primary key
    with pytest.raises(StoreError):
        fresh_db.record_attempt("ada", bad)
    assert fresh_db.db["attempts"].count == 0
    assert fresh_db.db["test_results"].count == 0


def test_status_per_student(fresh_db):
    fresh_db.record_attempt("ada", make_result("exercise1", passed=False))
    fresh_db.record_attempt("ada", make_result("exercise1", passed=True))
    fresh_db.record_attempt("ada", make_result("exercise2", passed=False))
    fresh_db.record_attempt("bob", make_result("exercise3", passed=True))
    assert fresh_db.exercise_status("ada") == {"exercise1": "passed", "exercise2": "attempted"}
    assert fresh_db.exercise_status("bob") == {"exercise3": "passed"}
    assert fresh_db.has_passed("ada", "exercise1") and not fresh_db.has_passed("ada", "exercise2")


def test_hints_are_counted_per_student_and_exercise(fresh_db):
    fresh_db.record_hint("ada", "exercise1", 1)
    fresh_db.record_hint("ada", "exercise1", 2)
    fresh_db.record_hint("bob", "exercise1", 1)
    assert fresh_db.hints_used("ada", "exercise1") == 2
    assert fresh_db.hints_used("ada", "exercise2") == 0


def test_second_connection_sees_committed_attempt(db_path):
    a, b = open_store(db_path), open_store(db_path)
    a.record_attempt("ada", make_result())
    assert b.exercise_status("ada") == {"exercise1": "passed"}
    a.close(), b.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_database_is_a_clear_error(db_path):
    open_store(db_path).close()
    for p in db_path.parent.iterdir():
        p.chmod(stat.S_IRUSR)
    with pytest.raises(StoreError, match="read-only"):
        open_store(db_path).record_attempt("ada", make_result())


def test_read_only_connection_error_is_translated(db_path):
    open_store(db_path).close()
    store = open_store(db_path)
    store.db.conn.close()
    store.db.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    with pytest.raises(StoreError, match="read-only"):
        store.record_attempt("ada", make_result())


def test_not_a_database_is_a_clear_error(db_path):
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable grader database"):
        open_store(db_path)
