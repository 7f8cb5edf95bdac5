"""Quiz attempts and responses, instructors' overrides of open answers (migration 0004), and
flashcard review states and logs (migration 0002_quizzes)."""

from __future__ import annotations

from typing import Optional


class QuizRows:
    """Methods of grader.store.Store for quiz_attempts, quiz_responses, review_cards, review_logs."""

    # -- quiz attempts, written answer by answer (grader.quiz.recording) ---------------------
    def add_first_quiz_response(self, student: str, attempt: dict, response: dict, score: float) -> tuple[int, float]:
        """Create the attempt with its first response, in one transaction: (attempt id, score)."""
        with self.transaction() as db:
            sid = self.student_id_in(db, student)
            attempt_id = db["quiz_attempts"].insert({"student_id": sid, **attempt}).last_pk
            db["quiz_responses"].insert({**response, "attempt_id": attempt_id})
            db.execute("update quiz_attempts set score = ? where id = ?", [score, attempt_id])
        return attempt_id, score

    def add_quiz_response(self, attempt_id: int, response: dict, score: float) -> None:
        """One more response and the attempt's running score, in one transaction."""
        with self.transaction() as db:
            db["quiz_responses"].insert({**response, "attempt_id": attempt_id})
            db.execute("update quiz_attempts set score = ? where id = ?", [score, attempt_id])

    def finish_quiz_attempt(self, attempt_id: int, finished_at: str) -> None:
        with self.transaction() as db:
            db.execute("update quiz_attempts set complete = 1, finished_at = ? where id = ?",
                       [finished_at, attempt_id])

    def quiz_attempts(self, student: Optional[str] = None, quiz: Optional[str] = None) -> list[dict]:
        return self.student_rows("quiz_attempts", student, quiz=quiz)

    def quiz_responses(self, attempt_id: int) -> list[dict]:
        return list(self.db.query("select * from quiz_responses where attempt_id = ? order by position, id",
                                  [attempt_id]))

    # -- open answers and instructors' overrides (grade answers) -----------------------------
    def open_responses(self, quiz: str, question_id: str) -> list[dict]:
        """Every response to one open question, with its student, automatic and effective scores
        and the override in force (who, when, why), oldest first."""
        return list(self.db.query(
            """select e.id as response_id, e.attempt_id, s.name as student, e.chosen as answer, e.score,
                      e.max_score, e.concepts_found, e.effective_score, e.overridden, e.override_found,
                      o.by as override_by, o.created_at as override_at, o.reason as override_reason,
                      q.started_at, q.complete
               from effective_quiz_responses e
               join quiz_attempts q on q.id = e.attempt_id
               join students s on s.id = q.student_id
               left join answer_overrides o on o.id = (
                   select max(id) from answer_overrides where response_id = e.id and revoked_at is null)
               where q.quiz = ? and e.question_id = ? and e.kind = 'open'
               order by q.started_at, e.id""", [quiz, question_id]))

    def add_answer_overrides(self, rows: list[dict]) -> int:
        """Store overrides (response_id, score, found JSON, reason, by, created_at) in one
        transaction; each wins over the automatic score until revoked. Returns how many."""
        with self.transaction() as db:
            for row in rows:
                db["answer_overrides"].insert({**row, "revoked_at": None})
        return len(rows)

    def revoke_answer_overrides(self, response_ids: list[int], revoked_at: str) -> int:
        """Revoke the overrides in force on these responses (the automatic score applies again)."""
        count = 0
        with self.transaction() as db:
            for start in range(0, len(response_ids), 500):
                chunk = response_ids[start:start + 500]
                count += db.execute(
                    f"""update answer_overrides set revoked_at = ?
                        where revoked_at is null and response_id in ({','.join('?' * len(chunk))})""",
                    [revoked_at, *chunk]).rowcount
        return count

    # -- flashcard reviews (grader.quiz.review) ----------------------------------------------
    def review_states(self, student: str) -> dict[str, tuple[str, str]]:
        """{card id: (FSRS state JSON, due timestamp)} for one student."""
        return {r["card_id"]: (r["state"], r["due"]) for r in self.db.query(
            """select c.card_id, c.state, c.due from review_cards c join students s on s.id = c.student_id
               where s.name = ?""", [student])}

    def record_review(self, student: str, card_id: str, state_json: str, due: str, rating: int,
                      reviewed_at: str, state_name: str) -> None:
        """The card's new state and one review log entry, in one transaction."""
        with self.transaction() as db:
            sid = self.student_id_in(db, student)
            db.execute(
                """insert into review_cards (student_id, card_id, state, due) values (?, ?, ?, ?)
                   on conflict (student_id, card_id) do update set state = excluded.state, due = excluded.due""",
                [sid, card_id, state_json, due])
            db["review_logs"].insert({"student_id": sid, "card_id": card_id, "rating": rating,
                                      "reviewed_at": reviewed_at, "state": state_name})
