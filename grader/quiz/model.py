"""The quiz file format: one TOML file per quiz in quizzes/, validated with pydantic.

A quiz is a title and a list of `[[questions]]`, each with a `kind`:

- `choice`: single choice; per-option `feedback`, an optional `misconception` tag per
  wrong option, an optional `check` (a torch snippet whose `result` must equal the keyed
  option's `value`, run by tests/test_quiz_keys.py).
- `prediction`: like `choice`, asked before the explanation ("commit to your answer");
  the explanation is always shown once the student has committed.
- `truefalse`: a statement (often a myth) with `answer` and the reality in `explanation`.
- `flashcard`: a `prompt` and its `reveal`, self-rated (again/hard/good/easy), no points.
- `open`: free text scored against a `rubric` of concepts, each with accepted phrasings;
  one point per concept found. `samples` are answers with the concepts they must score.

Every error names the file, the question (position and id) and the field.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from grader.errors import ContentError, field_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FORMAT_VERSIONS = (1,)
KINDS = ("choice", "prediction", "truefalse", "flashcard", "open")
LETTERS = "ABCDEFGHIJ"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ID_HELP = "must be lowercase letters, digits, '-' or '_' (e.g. 'grad-after-backward')"


class _Strict(BaseModel):
    # Stripped text keeps TOML's trailing newlines out of prompts (and GIFT round trips exact).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_id(v: str) -> str:
    if not ID_RE.match(v):
        raise ValueError(ID_HELP)
    return v


Id = Annotated[str, AfterValidator(_check_id)]


class Check(_Strict):
    """A few lines of torch that compute the keyed answer into a variable named `result`."""

    code: str = Field(min_length=1)
    tolerance: float = Field(default=1e-6, ge=0)


class Option(_Strict):
    id: Id
    text: str = Field(min_length=1)
    correct: bool = False
    feedback: str = ""
    # Recorded with the response when a student picks this (wrong) option.
    misconception: Optional[str] = None
    # What `check.code` computes when this option is the right one (any TOML value).
    value: Any = None


class _Item(_Strict):
    id: Id
    prompt: str = Field(min_length=1)
    explanation: str = ""
    # Exercise slugs (exercises/manifest.toml) whose concept this item practises.
    exercises: list[str] = Field(default_factory=list)
    seed_ref: str = ""

    @property
    def max_score(self) -> float:
        return float(getattr(self, "points", 0.0))


class ChoiceItem(_Item):
    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2, max_length=len(LETTERS))
    points: float = Field(default=1.0, ge=0)
    shuffle: bool = True  # false keeps the file's order (e.g. "none of the above" last)
    check: Optional[Check] = None

    @model_validator(mode="after")
    def _one_key(self):
        keyed = [o.id for o in self.options if o.correct]
        if len(keyed) != 1:
            raise ValueError(f"exactly one option must have correct = true (found {len(keyed)})")
        ids = [o.id for o in self.options]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"option ids must be unique (repeated: {', '.join(dupes)})")
        texts = [o.text.strip() for o in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError("two options have the same text")
        for o in self.options:
            if o.correct and o.misconception:
                raise ValueError(f"option '{o.id}' is the key, so it cannot carry a misconception tag")
        if self.check is not None:
            missing = [o.id for o in self.options if o.value is None]
            if missing:
                raise ValueError(f"with a check, every option needs a value (missing: {', '.join(missing)})")
        return self

    @property
    def key(self) -> Option:
        return next(o for o in self.options if o.correct)

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


class PredictionItem(ChoiceItem):
    kind: Literal["prediction"]  # type: ignore[assignment]


class TrueFalseItem(_Item):
    kind: Literal["truefalse"]
    answer: bool
    explanation: str = Field(min_length=1, description="the reality, shown after every answer")
    misconception: Optional[str] = None  # recorded when a student answers wrongly
    points: float = Field(default=1.0, ge=0)
    check: Optional[Check] = None


class FlashcardItem(_Item):
    kind: Literal["flashcard"]
    reveal: str = Field(min_length=1)
    level: Literal["beginner", "intermediate", "advanced"] = "beginner"


class Concept(_Strict):
    """A rubric concept. `phrases` are patterns of evidence (grader/quiz/rubric.py): words,
    `a|b` alternatives and `@class` word classes (grader/quiz/lexicon.toml) that must occur in one
    clause, un-negated; a leading `?` marks weak evidence. `avoid` patterns are claims that
    contradict the concept ("the loss goes up"): when one matches, the concept is not credited."""

    id: Id
    name: str = Field(min_length=1, description="how feedback names the concept")
    phrases: list[str] = Field(min_length=1, description="evidence patterns: accepted phrasings and synonyms")
    avoid: list[str] = Field(default_factory=list, description="patterns of claims that contradict the concept")

    @field_validator("phrases", "avoid")
    @classmethod
    def _valid_patterns(cls, v: list[str]) -> list[str]:
        from grader.quiz.rubric import RubricError, compile_pattern

        if any(not p.strip().lstrip("?").strip() for p in v):
            raise ValueError("a phrase must not be blank")
        for p in v:
            try:
                compile_pattern(p)
            except RubricError as exc:
                raise ValueError(f"phrase {p!r}: {exc}") from None
        return v


class Sample(_Strict):
    """A sample answer and the concept ids the rubric must find in it (run as a test)."""

    answer: str = Field(min_length=1)
    found: list[str] = Field(default_factory=list)


class OpenItem(_Item):
    kind: Literal["open"]
    hint: str = ""
    model_answer: str = ""
    rubric: list[Concept] = Field(min_length=1)
    samples: list[Sample] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self):
        ids = [c.id for c in self.rubric]
        if len(set(ids)) != len(ids):
            raise ValueError("rubric concept ids must be unique")
        for i, s in enumerate(self.samples):
            unknown = [c for c in s.found if c not in ids]
            if unknown:
                raise ValueError(f"samples[{i}].found names unknown concepts: {', '.join(unknown)}")
        return self

    @property
    def max_score(self) -> float:
        return float(len(self.rubric))  # one point per concept: "you got 3/4 concepts"


Item = Annotated[
    Union[ChoiceItem, PredictionItem, TrueFalseItem, FlashcardItem, OpenItem],
    Field(discriminator="kind"),
]


class Quiz(_Strict):
    format_version: int
    title: str = Field(min_length=1)
    description: str = ""
    seed_ref: str = ""
    shuffle_questions: bool = False
    questions: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self):
        seen: dict[str, int] = {}
        for i, q in enumerate(self.questions):
            if q.id in seen:
                raise ValueError(f"question id '{q.id}' is used twice (questions[{seen[q.id]}] and questions[{i}])")
            seen[q.id] = i
        return self

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions)

    def question(self, question_id: str):
        return next(q for q in self.questions if q.id == question_id)


class LoadedQuiz:
    """A validated quiz with where it came from: its name (file stem) and a content hash."""

    def __init__(self, name: str, quiz: Quiz, path: Path | None, version: str):
        self.name, self.quiz, self.path, self.version = name, quiz, path, version

    def __getattr__(self, attr: str):  # title, questions, max_score, ... of the quiz
        return getattr(self.quiz, attr)


def _where(loc: tuple, data: dict) -> str:
    """pydantic's loc as 'question 3 (id 'x').options[1].id', skipping the union tag."""
    out = ""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] == "questions" and isinstance(parts[1], int):
        i = parts[1]
        raw = data.get("questions")
        qid = raw[i].get("id") if isinstance(raw, list) and i < len(raw) and isinstance(raw[i], dict) else None
        out = f"question {i + 1}" + (f" (id '{qid}')" if qid else "")
        parts = parts[2:]
        if parts and parts[0] in KINDS:
            parts = parts[1:]
    return field_path(parts, out)


def _message(err: dict) -> str:
    if err["type"] == "union_tag_not_found":
        return f"missing 'kind' (one of: {', '.join(KINDS)})"
    if err["type"] == "union_tag_invalid":
        return f"unknown kind {err['input'].get('kind')!r} (one of: {', '.join(KINDS)})" if isinstance(err.get("input"), dict) else err["msg"]
    if err["type"] == "extra_forbidden":
        return "unknown field (check its spelling against docs/QUIZ_FORMAT.md)"
    return err["msg"].removeprefix("Value error, ")


def parse_quiz(data: dict, path: object, name: str = "", version: str = "") -> LoadedQuiz:
    if not isinstance(data, dict):
        raise ContentError(path, "", "a quiz file must be a TOML table")
    fmt = data.get("format_version")
    if fmt not in FORMAT_VERSIONS:
        raise ContentError(path, "format_version", f"unsupported format version {fmt!r}; this grader reads "
                           f"{', '.join(map(str, FORMAT_VERSIONS))} (add format_version = 1 or upgrade the grader)")
    try:
        quiz = Quiz.model_validate(data)
    except ValidationError as exc:
        # An unknown field usually explains the "missing field" next to it: report it first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise ContentError(path, _where(err["loc"], data), _message(err) + more) from None
    return LoadedQuiz(name, quiz, path if isinstance(path, Path) else None, version)


def read_toml(path: Path) -> tuple[dict, bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "", "no such quiz file") from None
    except OSError as exc:
        raise ContentError(path, "", f"cannot read it ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(raw.decode("utf-8")), raw
    except UnicodeDecodeError as exc:
        raise ContentError(path, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML: {exc}") from None


def load_quiz_file(path: Path) -> LoadedQuiz:
    path = Path(path)
    if not NAME_RE.match(path.stem):
        raise ContentError(path, "", "a quiz file's name must be lowercase words joined by '-', e.g. recap.toml")
    data, raw = read_toml(path)
    return parse_quiz(data, path, path.stem, hashlib.sha256(raw).hexdigest()[:12])


def dump_quiz(quiz: Quiz) -> dict:
    """The quiz as plain data (defaults left out), ready for TOML or JSON."""
    data = quiz.model_dump(mode="json", exclude_defaults=True)
    # id and kind first: a written file reads like a hand-written one.
    data["questions"] = [{"id": q["id"], "kind": q["kind"], **q} for q in data["questions"]]
    return {"format_version": quiz.format_version, **data}
