"""Exercise attempts (with their tests, metrics and trace) and hint uses."""

from __future__ import annotations

import json

from grader import __version__
from grader.engine.results import now


class AttemptRows:
    """Methods of grader.store.Store for the attempts, test_results, metrics, trace and hint_uses tables."""

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
        assert table in ("attempts", "quiz_attempts", "hint_uses"), table
        sql = f"select a.*, s.name as student from {table} a join students s on s.id = a.student_id where 1=1"
        args: list = []
        if student:
            sql += " and s.name = ?"
            args.append(student)
        for column, value in equal.items():
            if value:
                assert column.isidentifier(), column
                sql += f" and a.{column} = ?"
                args.append(value)
        return list(self.db.query(sql + " order by a.id", args))

    def test_results(self, attempt_id: int) -> list[dict]:
        return list(self.db.query("select * from test_results where attempt_id = ? order by position", [attempt_id]))

    def last_durations(self) -> dict[str, float]:
        """{exercise: duration of its latest grading}, to hand out long gradings first."""
        return dict(self.db.execute(
            """select exercise, duration_s from attempts where id in (select max(id) from attempts group by exercise)"""
        ).fetchall())

    # -- hints --------------------------------------------------------------------------------
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
