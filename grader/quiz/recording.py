"""Recording a quiz attempt as it is taken (the SQL is in grader.store.quizzes).

An attempt row is created with the first answer, and every answer is written in its own
transaction together with the attempt's running score. So an attempt stopped by Ctrl-C (or a
crash) stays in the database as a partial attempt, `complete = 0`, holding exactly the answers
given; one stopped before its first answer leaves nothing at all.
"""

from __future__ import annotations

import json
from typing import Optional, Protocol

from grader.quiz.attempt import Response
from grader.quiz.model import LoadedQuiz
from grader.engine.results import now


class ResponseRecorder(Protocol):
    attempt_id: Optional[int]

    def add(self, response: Response) -> None: ...

    def finish(self) -> None: ...


class NullRecorder:
    """Used when there is no database: the quiz still runs, nothing is stored."""

    attempt_id: Optional[int] = None
    stored = False

    def add(self, response: Response) -> None:
        pass

    def finish(self) -> None:
        pass


class StoreRecorder:
    stored = True

    def __init__(self, store, student: str, quiz: LoadedQuiz, seed: int, mode: str,
                 origin: str = "local"):
        self.store, self.student, self.quiz = store, student, quiz
        self.seed, self.mode, self.origin = seed, mode, origin
        self.started_at = now()
        self.attempt_id: Optional[int] = None
        self._score = 0.0

    def add(self, response: Response) -> None:
        if self.attempt_id is None:
            self.attempt_id, self._score = self.store.add_first_quiz_response(
                self.student, {
                    "quiz": self.quiz.name, "quiz_version": self.quiz.version, "seed": self.seed,
                    "started_at": self.started_at, "finished_at": None, "complete": 0, "score": 0.0,
                    "max_score": self.quiz.max_score, "origin": self.origin, "mode": self.mode,
                }, response_row(0, response), response.score)
            return
        score = self._score + response.score
        self.store.add_quiz_response(self.attempt_id, response_row(self.attempt_id, response), score)
        self._score = score  # only once committed

    def finish(self) -> None:
        if self.attempt_id is not None:
            self.store.finish_quiz_attempt(self.attempt_id, now())


def response_row(attempt_id: int, r: Response) -> dict:
    item = r.item
    return {
        "attempt_id": attempt_id,
        "position": r.asked.position,
        "question_id": item.id,
        "kind": item.kind,
        "shown_order": json.dumps(list(r.asked.shown_order)),
        "chosen": r.chosen,
        "correct": None if r.correct is None else int(r.correct),
        "score": r.score,
        "max_score": r.max_score,
        "time_s": None if r.time_s is None else round(r.time_s, 3),
        "concepts_found": json.dumps(r.concepts_found) if item.kind == "open" else None,
        # Not credited: the concepts not found and those the grader was unsure of.
        "concepts_missing": json.dumps(r.concepts_uncertain + r.concepts_missing) if item.kind == "open" else None,
        "misconception": r.misconception,
    }
