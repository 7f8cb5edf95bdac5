"""One quiz attempt: ask each question, take an answer, give feedback, record it, summarise.

Ctrl-C never escapes as a traceback: the answers given so far are already stored (see
records), so the attempt ends as "interrupted" and the caller reports it. Input that ends
early (a pipe with too few lines) ends the attempt the same way, as "input-ended".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional

from grader.quiz.attempt import AnswerProblem, Asked, Response, plan, score
from grader.quiz.model import LoadedQuiz


@dataclass
class QuizResult:
    quiz: LoadedQuiz
    seed: int
    mode: str
    asked: list[Asked]
    responses: list[Response] = field(default_factory=list)
    status: str = "complete"  # complete | interrupted | input-ended
    attempt_id: Optional[int] = None
    stored: bool = False

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def score(self) -> float:
        return sum(r.score for r in self.responses)

    @property
    def max_score(self) -> float:
        return self.quiz.max_score

    def to_json(self) -> dict:
        return {
            "quiz": self.quiz.name,
            "title": self.quiz.title,
            "version": self.quiz.version,
            "seed": self.seed,
            "mode": self.mode,
            "complete": self.complete,
            "status": self.status,
            "answered": len(self.responses),
            "total": len(self.asked),
            "score": self.score,
            "max_score": self.max_score,
            "attempt_id": self.attempt_id,
            "stored": self.stored and self.attempt_id is not None,
            "questions": [r.to_json() for r in self.responses],
        }


def run_quiz(quiz: LoadedQuiz, seed: int, screen, answers, recorder,
             clock: Callable[[], float] = time.monotonic) -> QuizResult:
    """Take the quiz once. `answers` has read(prompt) and pause(prompt); `recorder` stores responses."""
    asked = plan(quiz.quiz, seed)
    result = QuizResult(quiz, seed, answers.mode, asked, stored=getattr(recorder, "stored", False))
    try:
        for a in asked:
            screen.question(a, len(asked))
            start = clock()
            if a.kind == "flashcard":
                answers.pause("Recall the answer, then press Enter to reveal it. ")
                screen.reveal(a.item)
            response = _ask(a, screen, answers, clock, start)
            recorder.add(response)
            result.responses.append(response)
            result.attempt_id = recorder.attempt_id
            screen.feedback(response)
        recorder.finish()
    except KeyboardInterrupt:
        result.status = "interrupted"
    except EOFError:
        result.status = "input-ended"
    result.attempt_id = recorder.attempt_id
    return result


def _ask(a: Asked, screen, answers, clock, start: float) -> Response:
    prompt = f"Your answer ({a.accepts()}): "
    if a.kind == "flashcard":
        prompt = "How well did you recall it? (1 again, 2 hard, 3 good, 4 easy): "
    while True:
        text = answers.read(prompt)
        try:
            # Only typed answers have a meaningful time; piped or --answer ones arrive at once.
            timed = clock() - start if answers.interactive else None
            return score(a, text, timed)
        except AnswerProblem as exc:
            screen.problem(str(exc))
