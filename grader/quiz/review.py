"""Flashcard review, scheduled by FSRS (the `fsrs` package).

Every `flashcard` question in every quiz file is a card, identified as `QUIZ/QUESTION_ID`.
A card never reviewed is new and due at once; after each review FSRS sets its next due time
from the self-rating (again, hard, good, easy). The card's FSRS state (JSON) and due time
live in review_cards, every review in review_logs, one transaction per review.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Optional

from grader.quiz.attempt import RATINGS
from grader.quiz.model import FlashcardItem, LoadedQuiz

if TYPE_CHECKING:
    from grader.store import Store

DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class Card:
    card_id: str  # quiz/question id
    quiz: str
    item: FlashcardItem


@dataclass
class DueCard:
    card: Card
    state: Optional[str]  # the stored FSRS card JSON; None for a new card
    due: Optional[datetime]

    @property
    def is_new(self) -> bool:
        return self.state is None


@dataclass
class Reviewed:
    card: Card
    rating: int
    due: datetime
    state: str  # learning | review | relearning

    def to_json(self) -> dict:
        return {"card": self.card.card_id, "prompt": self.card.item.prompt, "rating": self.rating,
                "rating_name": RATINGS[self.rating], "state": self.state, "due": self.due.isoformat()}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def cards(quizzes: list[LoadedQuiz]) -> list[Card]:
    return [Card(f"{q.name}/{item.id}", q.name, item)
            for q in quizzes for item in q.questions if isinstance(item, FlashcardItem)]


def _scheduler():
    from fsrs import Scheduler

    return Scheduler()


def due_cards(store: Store, student: str, all_cards: list[Card], now: Optional[datetime] = None,
              limit: int = DEFAULT_LIMIT) -> tuple[list[DueCard], int]:
    """The cards to review now (overdue first, then new ones in file order) and how many are due in all."""
    now = now or utcnow()
    rows = store.review_states(student)
    seen, new = [], []
    for card in all_cards:
        row = rows.get(card.card_id)
        if row is None:
            new.append(DueCard(card, None, None))
        else:
            state, due_text = row
            due = datetime.fromisoformat(due_text)
            if due <= now:
                seen.append(DueCard(card, state, due))
    seen.sort(key=lambda d: d.due)
    due = seen + new
    return due[:limit], len(due)


def next_due(store: Store, student: str, all_cards: list[Card]) -> Optional[datetime]:
    ids = {c.card_id for c in all_cards}
    dues = [datetime.fromisoformat(due) for card_id, (_state, due) in store.review_states(student).items()
            if card_id in ids]
    return min(dues) if dues else None


def record_review(store: Store, student: str, due_card: DueCard, rating: int,
                  now: Optional[datetime] = None, duration_s: Optional[float] = None) -> Reviewed:
    from fsrs import Card as FsrsCard, Rating

    now = now or utcnow()
    card = FsrsCard.from_json(due_card.state) if due_card.state else \
        FsrsCard(card_id=zlib.crc32(due_card.card.card_id.encode()), due=now)
    ms = None if duration_s is None else int(duration_s * 1000)
    updated, _log = _scheduler().review_card(card, Rating(rating), review_datetime=now, review_duration=ms)
    state = updated.state.name.lower()
    store.record_review(student, due_card.card.card_id, updated.to_json(), updated.due.isoformat(), rating,
                        now.isoformat(), state)
    return Reviewed(due_card.card, rating, updated.due, state)


def describe_wait(due: datetime, now: Optional[datetime] = None) -> str:
    seconds = (due - (now or utcnow())).total_seconds()
    if seconds < 30:
        return "now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = round(seconds / size)
            return f"in {n} {unit}{'s' if n != 1 else ''}"
    return "now"


@dataclass
class ReviewSession:
    reviewed: list[Reviewed]
    due_total: int  # due when the session began
    interrupted: bool = False
    input_ended: bool = False

    def to_json(self, next_due_at: Optional[datetime]) -> dict:
        return {"reviewed": [r.to_json() for r in self.reviewed], "due": self.due_total,
                "due_left": max(self.due_total - len(self.reviewed), 0), "complete": not (self.interrupted or self.input_ended),
                "next_due": next_due_at.isoformat() if next_due_at else None}


def run_review(store: Store, student: str, due: list[DueCard], due_total: int, screen, answers,
               clock=None) -> ReviewSession:
    """Show each due card, reveal it, take a self-rating and reschedule it; Ctrl-C keeps what was rated."""
    import time

    from grader.quiz.attempt import AnswerProblem, parse_rating

    clock = clock or time.monotonic
    session = ReviewSession([], due_total)
    try:
        for i, d in enumerate(due, 1):
            item = d.card.item
            screen.say()
            screen.say(f"Card {i} of {len(due)} ({item.level}{', new' if d.is_new else ''})", "bold cyan")
            screen.say(item.prompt)
            start = clock()
            answers.pause("Recall the answer, then press Enter to reveal it. ")
            screen.say(f"Answer: {item.reveal}", "green")
            while True:
                text = answers.read("How well did you recall it? (1 again, 2 hard, 3 good, 4 easy): ")
                try:
                    rating = parse_rating(text)
                    break
                except AnswerProblem as exc:
                    screen.problem(str(exc))
            took = clock() - start if answers.interactive else None
            done = record_review(store, student, d, rating, duration_s=took)
            session.reviewed.append(done)
            screen.say(f"Next review {describe_wait(done.due)}.", "dim")
    except KeyboardInterrupt:
        session.interrupted = True
    except EOFError:
        session.input_ended = True
    return session
