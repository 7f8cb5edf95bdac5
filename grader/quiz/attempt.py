"""One attempt's order (seeded), what each kind of question accepts as an answer, and scoring.

The same seed always gives the same question order and option order, so `--answer` values
can be written for a given `--seed`. Each question's options are shuffled by their own
generator (seeded with the attempt seed and the question id), so adding a question to a
quiz does not reshuffle the others.

Answers, one per question:
- choice, prediction: the letter shown (A, B, ...);
- truefalse: T or F (also true/false, yes/no, y/n);
- flashcard: the self-rating 1-4 or again/hard/good/easy (no points either way);
- open: free text (one line).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Optional, Union

from grader.quiz.model import (
    LETTERS,
    ChoiceItem,
    FlashcardItem,
    OpenItem,
    PredictionItem,
    Quiz,
    TrueFalseItem,
)
from grader.quiz.rubric import score_item

RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}
_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}
AnyItem = Union[ChoiceItem, PredictionItem, TrueFalseItem, FlashcardItem, OpenItem]


class AnswerProblem(ValueError):
    """An answer the question cannot accept; the message says what it does accept."""


@dataclass(frozen=True)
class Asked:
    position: int  # 1-based, in the order asked
    item: AnyItem
    shown_order: tuple[str, ...]  # option ids as shown (choice/prediction), ("true", "false"), or ()

    @property
    def kind(self) -> str:
        return self.item.kind

    def letter(self, option_id: str) -> str:
        return LETTERS[self.shown_order.index(option_id)]

    def accepts(self) -> str:
        kind = self.kind
        if kind in ("choice", "prediction"):
            return f"a letter from A to {LETTERS[len(self.shown_order) - 1]}"
        if kind == "truefalse":
            return "T or F"
        if kind == "flashcard":
            return "a rating: 1 again, 2 hard, 3 good, 4 easy"
        return "a sentence or two on one line"


def plan(quiz: Quiz, seed: int) -> list[Asked]:
    items = list(quiz.questions)
    if quiz.shuffle_questions:
        random.Random(seed).shuffle(items)
    asked = []
    for pos, item in enumerate(items, 1):
        order: tuple[str, ...] = ()
        if isinstance(item, ChoiceItem):
            ids = [o.id for o in item.options]
            if item.shuffle:
                random.Random(f"{seed}/{item.id}").shuffle(ids)
            order = tuple(ids)
        elif isinstance(item, TrueFalseItem):
            order = ("true", "false")
        asked.append(Asked(pos, item, order))
    return asked


def parse_rating(text: str) -> int:
    key = text.strip().lower()
    if key in {"1", "2", "3", "4"}:
        return int(key)
    for value, name in RATINGS.items():
        if key and name.startswith(key):  # the four names start with different letters
            return value
    raise AnswerProblem("rate your recall: 1 again, 2 hard, 3 good, 4 easy")


def parse(asked: Asked, text: str) -> str:
    """The stored `chosen` value for an answer: an option id, 'true'/'false', a rating name or text."""
    raw = text.strip()
    kind = asked.kind
    if kind in ("choice", "prediction"):
        key = raw.upper().rstrip(").:")
        n = len(asked.shown_order)
        if len(key) == 1 and key in LETTERS[:n]:
            return asked.shown_order[LETTERS.index(key)]
        raise AnswerProblem(f"answer with a letter from A to {LETTERS[n - 1]}")
    if kind == "truefalse":
        key = raw.lower().rstrip(".")
        if key in _TRUE:
            return "true"
        if key in _FALSE:
            return "false"
        raise AnswerProblem("answer T (true) or F (false)")
    if kind == "flashcard":
        return RATINGS[parse_rating(raw)]
    if not raw:
        raise AnswerProblem("write your answer on one line (a sentence or two)")
    return raw


@dataclass
class Response:
    """One answered question, as stored in quiz_responses and shown in the summary."""

    asked: Asked
    answer: str  # what the student typed
    chosen: str
    correct: Optional[bool]  # None for flashcards: a self-rating is not right or wrong
    score: float
    max_score: float
    time_s: Optional[float] = None
    feedback: str = ""
    misconception: Optional[str] = None
    concepts_found: list[str] = field(default_factory=list)
    concepts_missing: list[str] = field(default_factory=list)
    concept_names_found: list[str] = field(default_factory=list)
    concept_names_missing: list[str] = field(default_factory=list)
    concepts_uncertain: list[str] = field(default_factory=list)  # evidence too weak to credit or to deny
    concept_names_uncertain: list[str] = field(default_factory=list)

    @property
    def item(self) -> AnyItem:
        return self.asked.item

    @property
    def missed(self) -> bool:
        return self.max_score > 0 and self.score < self.max_score

    def correct_answer(self) -> dict:
        """The keyed answer as shown in this attempt (for feedback and --json)."""
        item = self.item
        if isinstance(item, ChoiceItem):
            key = item.key
            return {"letter": self.asked.letter(key.id), "id": key.id, "text": key.text}
        if isinstance(item, TrueFalseItem):
            return {"letter": "T" if item.answer else "F", "id": str(item.answer).lower(),
                    "text": "true" if item.answer else "false"}
        if isinstance(item, FlashcardItem):
            return {"text": item.reveal}
        return {"text": item.model_answer, "concepts": [c.name for c in item.rubric]}

    def to_json(self) -> dict:
        item = self.item
        out = {
            "position": self.asked.position,
            "id": item.id,
            "kind": item.kind,
            "prompt": item.prompt,
            "answer": self.answer,
            "chosen": self.chosen,
            "correct": self.correct,
            "score": self.score,
            "max_score": self.max_score,
            "correct_answer": self.correct_answer(),
            "explanation": item.explanation,
            "feedback": self.feedback,
        }
        if isinstance(item, ChoiceItem):
            out["shown"] = [{"letter": LETTERS[i], "id": oid, "text": item.option(oid).text}
                            for i, oid in enumerate(self.asked.shown_order)]
        if self.misconception:
            out["misconception"] = self.misconception
        if isinstance(item, OpenItem):
            out["concepts_found"] = self.concept_names_found
            out["concepts_missing"] = self.concept_names_missing
            out["concepts_uncertain"] = self.concept_names_uncertain
        return out


def score(asked: Asked, answer: str, time_s: Optional[float] = None) -> Response:
    """Score one answer (raises AnswerProblem if the question cannot accept it)."""
    chosen = parse(asked, answer)
    item = asked.item
    if isinstance(item, ChoiceItem):
        option = item.option(chosen)
        ok = option.correct
        return Response(asked, answer.strip(), chosen, ok, item.points if ok else 0.0, item.points, time_s,
                        feedback=option.feedback, misconception=None if ok else option.misconception)
    if isinstance(item, TrueFalseItem):
        ok = (chosen == "true") == item.answer
        return Response(asked, answer.strip(), chosen, ok, item.points if ok else 0.0, item.points, time_s,
                        misconception=None if ok else item.misconception)
    if isinstance(item, FlashcardItem):
        return Response(asked, answer.strip(), chosen, None, 0.0, 0.0, time_s)
    result = score_item(chosen, item)
    total = len(item.rubric)
    return Response(asked, answer.strip(), chosen, len(result.found) == total, float(len(result.found)),
                    float(total), time_s, feedback=result.summary,
                    concepts_found=result.found, concepts_missing=result.missing,
                    concept_names_found=result.names_found, concept_names_missing=result.names_missing,
                    concepts_uncertain=result.uncertain, concept_names_uncertain=result.names_uncertain)


def check_answers(asked: list[Asked], answers: list[str]) -> None:
    """Reject a wrong number of --answer values, or one a question cannot take, before starting."""
    if len(answers) != len(asked):
        raise AnswerProblem(
            f"this quiz asks {len(asked)} question(s) but {len(answers)} --answer value(s) were given; "
            "give one --answer per question, in the order asked")
    for a, text in zip(asked, answers):
        try:
            parse(a, text)
        except AnswerProblem as exc:
            raise AnswerProblem(f"--answer {a.position} ({text!r}) does not fit question {a.position} "
                                f"'{a.item.id}': {exc}") from None
