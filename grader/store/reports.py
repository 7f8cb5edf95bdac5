"""What the results report and the quiz item analysis read (grader.instructor.report,
grader.instructor.item_analysis)."""

from __future__ import annotations

from typing import Iterator


class ReportRows:
    """Read-only methods of grader.store.Store for reports."""

    def student_names(self) -> list[str]:
        return [row[0] for row in self.db.execute("select name from students order by name").fetchall()]

    def report_attempts(self) -> Iterator[dict]:
        """Every exercise attempt with its student's name, oldest first."""
        return self.db.query(
            """select s.name as student, a.exercise, a.passed, a.score, a.max_score, a.duration_s,
                      a.started_at, a.complete, a.diagnoses, a.origin, a.source_sha256
               from attempts a join students s on s.id = a.student_id order by a.started_at, a.id""")

    def hint_summary(self) -> dict[tuple[str, str], tuple[int, str]]:
        """{(student, exercise): (hints used, when the first was)}."""
        return {
            (name, ex): (n, first)
            for name, ex, n, first in self.db.execute(
                """select s.name, h.exercise, count(distinct h.hint_number), min(h.used_at)
                   from hint_uses h join students s on s.id = h.student_id group by s.name, h.exercise"""
            ).fetchall()
        }

    def current_submissions(self) -> list[tuple[str, str, str, int, str]]:
        """(student, exercise, sha256, bundle id, bundle created_at) for every current bundle's files."""
        return [tuple(row) for row in self.db.execute(
            """select s.name, f.exercise, f.sha256, b.id, b.created_at from bundles b
               join students s on s.id = b.student_id join bundle_files f on f.bundle_id = b.id
               where b.status = 'current'""").fetchall()]

    def quiz_attempt_totals(self, ids: list[int]) -> dict[int, tuple[float, float]]:
        """{quiz attempt id: (score, max_score)}: the effective score (instructors' overrides applied)."""
        out: dict[int, tuple[float, float]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.update({i: (score, top) for i, score, top in self.db.execute(
                f"select id, effective_score, max_score from effective_quiz_attempts where id in ({','.join('?' * len(chunk))})",
                chunk).fetchall()})
        return out

    def complete_quiz_scores(self) -> list[tuple[str, str, float, float]]:
        """(student, quiz, score, max_score) of every complete quiz attempt, oldest first (effective
        scores: instructors' overrides applied)."""
        return [tuple(row) for row in self.db.execute(
            """select s.name, q.quiz, q.effective_score, q.max_score from effective_quiz_attempts q
               join students s on s.id = q.student_id
               where q.complete = 1 order by q.id""").fetchall()]

    def complete_quiz_attempts(self) -> list[tuple[int, str, str, str, str]]:
        """(attempt id, student, quiz, version, started_at) of every complete quiz attempt, in order
        (through effective_quiz_attempts, the view every report reads)."""
        return [tuple(row) for row in self.db.execute(
            """select q.id, s.name, q.quiz, coalesce(q.quiz_version, ''), q.started_at
               from effective_quiz_attempts q join students s on s.id = q.student_id
               where q.complete = 1 order by q.started_at, q.id""").fetchall()]

    def scored_responses(self, attempt_ids: list[int]) -> Iterator[dict]:
        """The responses of these attempts, in order, for item analysis: `score` is the effective
        score (an instructor's override where one is in force, else the automatic score), and
        `automatic_score` the grader's own."""
        for start in range(0, len(attempt_ids), 500):
            chunk = attempt_ids[start:start + 500]
            yield from self.db.query(
                f"""select attempt_id, question_id, kind, effective_score as score, score as automatic_score,
                           overridden, max_score, chosen, correct, shown_order, misconception
                    from effective_quiz_responses
                    where attempt_id in ({','.join('?' * len(chunk))}) order by attempt_id, position, id""",
                chunk)
