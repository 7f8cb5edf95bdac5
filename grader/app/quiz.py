"""What each quiz command does, one function per command (the click layer only parses options).

Cheap to import: pydantic, rich and fsrs load inside the functions that need them.
"""

from __future__ import annotations

import json
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Optional, Sequence

from grader.errors import UsageProblem


@dataclass
class Streams:
    """Where the screen goes and where typed answers come from (tests pass their own)."""

    stdin: IO[str]
    stdout: IO[str]
    stderr: IO[str]

    @classmethod
    def system(cls) -> "Streams":
        return cls(sys.stdin, sys.stdout, sys.stderr)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _screen_and_answers(streams: Streams, answers: Sequence[str], plain: bool, as_json: bool):
    from grader.quiz.terminal import ListAnswers, Screen, StdinAnswers

    out = streams.stderr if as_json else streams.stdout
    if answers:
        screen = Screen(out, plain=plain or not _isatty(out), quiet=as_json)
        return screen, ListAnswers(screen, answers)
    plain = plain or not _isatty(streams.stdin)
    screen = Screen(out, plain=plain)
    return screen, StdinAnswers(screen, streams.stdin, interactive=_isatty(streams.stdin))


# -- grade quiz ---------------------------------------------------------------------------
def list_quizzes() -> list[dict]:
    from grader.quiz.catalog import cached_listing, quiz_paths

    return cached_listing(quiz_paths(), _listing)


def _listing(paths: dict) -> list[dict]:
    from grader.errors import ContentError
    from grader.quiz.model import load_quiz_file

    rows = []
    for name, path in paths.items():
        try:
            q = load_quiz_file(path)
        except ContentError as exc:
            rows.append({"name": name, "title": "", "questions": 0, "kinds": {}, "max_score": 0,
                         "error": str(exc)})
            continue
        kinds: dict[str, int] = {}
        for item in q.questions:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        rows.append({"name": name, "title": q.title, "questions": len(q.questions), "kinds": kinds,
                     "max_score": q.max_score})
    return rows


def take_quiz(app, name: str, *, seed: Optional[int] = None, answers: Sequence[str] = (),
              plain: bool = False, as_json: bool = False, streams: Optional[Streams] = None):
    """Run one attempt of quiz `name` and store it; returns the QuizResult.

    Raises UsageProblem for an unknown quiz (UnknownName) or --answer values that do not fit.
    """
    from grader.quiz.attempt import AnswerProblem, check_answers, plan
    from grader.quiz.catalog import find_quiz
    from grader.quiz.recording import NullRecorder, StoreRecorder
    from grader.quiz.session import run_quiz

    streams = streams or Streams.system()
    quiz = find_quiz(name)
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    if answers:
        try:
            check_answers(plan(quiz.quiz, seed), list(answers))
        except AnswerProblem as exc:
            raise AnswerValuesProblem(str(exc)) from None
    screen, source = _screen_and_answers(streams, answers, plain, as_json)
    if app.has_db():
        recorder = StoreRecorder(app.store(), app.student, quiz, seed, source.mode)
    else:
        recorder = NullRecorder()
        streams.stderr.write("Note: this attempt will not be stored (no workspace database; "
                             "pass --db PATH or set GRADER_DB).\n")
    screen.say(f"{quiz.title} ({len(quiz.questions)} questions, seed {seed})", "bold")
    if quiz.description:
        screen.say(quiz.description, "dim")
    result = run_quiz(quiz, seed, screen, source, recorder)
    try:
        screen.summary(result)
    except KeyboardInterrupt:
        pass  # everything is stored already; a second Ctrl-C only cuts the summary short
    return result


class AnswerValuesProblem(UsageProblem):
    """--answer values that do not fit the questions (reported against the --answer option)."""


# -- grade review -------------------------------------------------------------------------
def review(app, *, limit: int = 10, answers: Sequence[str] = (), plain: bool = False,
           as_json: bool = False, streams: Optional[Streams] = None) -> dict:
    """Review the due flashcards; returns the JSON summary (reviewed cards, what is left, next due)."""
    from grader.quiz.attempt import AnswerProblem, parse_rating
    from grader.quiz.catalog import all_quizzes
    from grader.quiz.review import cards, describe_wait, due_cards, next_due, run_review

    streams = streams or Streams.system()
    store = app.store()
    all_cards = cards(all_quizzes())
    due, due_total = due_cards(store, app.student, all_cards, limit=limit)
    if answers:
        if len(answers) > len(due):
            raise AnswerValuesProblem(f"{len(due)} card(s) are due now but {len(answers)} --answer value(s) "
                                      "were given; give at most one rating per due card")
        for i, a in enumerate(answers, 1):
            try:
                parse_rating(a)
            except AnswerProblem as exc:
                raise AnswerValuesProblem(f"--answer {i} ({a!r}): {exc}") from None
        due = due[:len(answers)]
    screen, source = _screen_and_answers(streams, answers, plain, as_json)
    if not due:
        nxt = next_due(store, app.student, all_cards)
        when = f" The next card is due {describe_wait(nxt)}." if nxt else ""
        screen.say(f"No flashcards are due.{when}" if all_cards else "There are no flashcards in the quizzes.")
        return {"reviewed": [], "due": 0, "due_left": 0, "complete": True,
                "next_due": nxt.isoformat() if nxt else None, "status": "complete"}
    more = f" (showing {len(due)})" if due_total > len(due) else ""
    screen.say(f"{due_total} flashcard(s) due{more}. Rate each honestly: the schedule depends on it.", "bold")
    session = run_review(store, app.student, due, due_total, screen, source)
    nxt = next_due(store, app.student, all_cards)
    summary = session.to_json(nxt)
    summary["status"] = "interrupted" if session.interrupted else "input-ended" if session.input_ended else "complete"
    left = summary["due_left"]
    later = f" {left} more are due now: run grade review again." if left else \
        (f" The next card is due {describe_wait(nxt)}." if nxt else "")
    screen.say()
    screen.say(f"Reviewed {len(session.reviewed)} card(s); each review is stored.{later}", "bold")
    return summary


# -- export and import --------------------------------------------------------------------
@dataclass
class ExportReport:
    path: str
    questions: int
    skipped: list[str]
    flattened: list[str]


def _write(out: str, text: str, stdout: IO[str]) -> None:
    if out == "-":
        stdout.write(text)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"Cannot write {out}: {exc.strerror or exc}. Choose another path.") from None


def export_quiz(name: str, fmt: str, out: str, streams: Optional[Streams] = None) -> ExportReport:
    """Write quiz `name` as GIFT or Aiken to `out` ('-' for standard output)."""
    from grader.quiz.catalog import find_quiz

    streams = streams or Streams.system()
    quiz = find_quiz(name)
    if fmt == "gift":
        from grader.quiz.gift import export_gift

        _write(out, export_gift(quiz), streams.stdout)
        return ExportReport(out, len(quiz.questions), [], [])
    from grader.quiz.aiken import export_aiken

    exported = export_aiken(quiz)
    if not exported.text:
        raise UsageProblem(f"Quiz '{name}' has no single-choice questions, so there is nothing to write as Aiken. "
                           f"Use: grade export gift {name} OUT.gift")
    _write(out, exported.text, streams.stdout)
    return ExportReport(out, len(quiz.questions) - len(exported.skipped), exported.skipped, exported.flattened)


def import_quiz(fmt: str, source: Path, out: Path, title: Optional[str] = None, force: bool = False) -> dict:
    """Read a GIFT or Aiken file and write it as a validated quiz file; returns a summary."""
    from grader.errors import ContentError
    from grader.quiz.model import NAME_RE
    from grader.quiz.tomlout import quiz_to_toml

    if not NAME_RE.match(out.stem) or out.suffix != ".toml":
        raise UsageProblem(f"{out}: the file name becomes the quiz name, so use lowercase words joined by '-' "
                           "and end it in .toml, e.g. my-quiz.toml")
    if out.exists() and not force:
        raise UsageProblem(f"{out} already exists. Pass --force to replace it, or choose another name.")
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageProblem(f"No such file: {source}") from None
    except UnicodeDecodeError as exc:
        raise ContentError(source, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if fmt == "gift":
        from grader.quiz.gift import import_gift

        quiz = import_gift(text, source, title)
    else:
        from grader.quiz.aiken import import_aiken

        quiz = import_aiken(text, source, title or source.stem.replace("-", " ").replace("_", " ").capitalize())
    try:
        out.write_text(quiz_to_toml(quiz, source.name), encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"Cannot write {out}: {exc.strerror or exc}. Choose another path.") from None
    kinds: dict[str, int] = {}
    for item in quiz.questions:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    return {"path": str(out), "title": quiz.title, "questions": len(quiz.questions), "kinds": kinds}


# -- grade rubric -------------------------------------------------------------------------
def open_item(quiz_name: str, item_id: str):
    """(quiz, item) for open question `item_id` of quiz `quiz_name`; UsageProblem (exit 2) for an
    unknown quiz or question, or a question that is not open."""
    from grader.errors import UnknownName
    from grader.quiz.catalog import find_quiz
    from grader.quiz.model import OpenItem
    from grader.text import closest

    quiz = find_quiz(quiz_name)
    item = next((q for q in quiz.questions if q.id == item_id), None)
    if item is None:
        raise UnknownName(f"question in quiz '{quiz.name}'", item_id, closest(item_id, [q.id for q in quiz.questions]))
    if not isinstance(item, OpenItem):
        opens = [q.id for q in quiz.questions if isinstance(q, OpenItem)]
        raise UsageProblem(f"'{item_id}' in quiz '{quiz.name}' is a {item.kind} question, not an open one; "
                           f"open questions there: {', '.join(opens) or 'none'}")
    return quiz, item


def score_open_answers(quiz_name: str, item_id: str, answers: Sequence[str]) -> list[dict]:
    """Score each answer against open question `item_id` of quiz `quiz_name`; stores nothing.
    One object per answer: answer, score, max_score, found, missing, uncertain (concept ids).
    The same scorer as `grade quiz` (grader.quiz.rubric.score_item)."""
    from grader.quiz.rubric import score_item

    _, item = open_item(quiz_name, item_id)
    out = []
    for answer in answers:
        result = score_item(answer, item)
        out.append({"answer": answer, "score": float(len(result.found)), "max_score": float(len(item.rubric)),
                    "found": list(result.found), "missing": list(result.missing),
                    "uncertain": list(result.uncertain)})
    return out


# -- grade answers: instructors review open answers ----------------------------------------
@dataclass
class OpenAnswer:
    response_id: int
    student: str
    answer: str
    automatic: float  # the score recorded when the answer was given
    effective: float  # what every report uses: the override in force, else `automatic`
    max_score: float
    found: list[str]  # concept ids the current rubric credits
    uncertain: list[str]
    overridden: bool
    override: Optional[dict]  # {"by", "at", "reason", "found"} of the override in force


@dataclass
class AnswerGroup:
    number: int  # 1-based, stable for the same answers and rubric
    found: list[str]
    uncertain: list[str]
    max_score: float
    answers: list[OpenAnswer]

    @property
    def score(self) -> float:
        return float(len(self.found))

    def to_json(self) -> dict:
        return {"group": self.number, "found": self.found, "uncertain": self.uncertain, "score": self.score,
                "max_score": self.max_score, "answers": [a.__dict__ for a in self.answers]}


def answer_groups(app, quiz_name: str, item_id: str) -> tuple[object, list[AnswerGroup]]:
    """The open answers to one question in the database, grouped by what the rubric finds in them
    (answers asserting the same concepts, with the same doubts, go together; within a group,
    identical texts sit next to each other). Groups are numbered by decreasing score, then size."""
    import json as _json

    from grader.quiz.rubric import score_item

    quiz, item = open_item(quiz_name, item_id)
    rows = app.store().open_responses(quiz.name, item.id)
    groups: dict[tuple, list[OpenAnswer]] = {}
    for r in rows:
        result = score_item(r["answer"] or "", item)
        override = None
        if r["overridden"]:
            try:
                credited = _json.loads(r["override_found"]) if r["override_found"] else None
            except ValueError:
                credited = None
            override = {"by": r["override_by"], "at": r["override_at"], "reason": r["override_reason"],
                        "found": credited}
        answer = OpenAnswer(r["response_id"], r["student"], r["answer"] or "", float(r["score"] or 0.0),
                            float(r["effective_score"] or 0.0), float(r["max_score"] or len(item.rubric)),
                            list(result.found), list(result.uncertain), bool(r["overridden"]), override)
        groups.setdefault((tuple(result.found), tuple(result.uncertain)), []).append(answer)
    order = sorted(groups.items(), key=lambda kv: (-len(kv[0][0]), -len(kv[1]), kv[0]))
    out = []
    for n, ((found, uncertain), answers) in enumerate(order, 1):
        answers.sort(key=lambda a: (" ".join(a.answer.lower().split()), a.response_id))
        out.append(AnswerGroup(n, list(found), list(uncertain), float(len(item.rubric)), answers))
    return item, out


@dataclass
class Decision:
    """An instructor's judgement of some answers: confirm the automatic score, or set one."""

    confirm: bool = False
    score: Optional[float] = None
    found: Optional[list[str]] = None  # concept ids credited (score defaults to their count)
    revoke: bool = False
    reason: str = ""


def decide_answers(app, quiz_name: str, item_id: str, decision: Decision, *, group: Optional[int] = None,
                   response: Optional[int] = None, by: str = "") -> dict:
    """Apply one decision to a group of answers (`group`, as numbered by answer_groups) or to one
    answer (`response`, its id). Confirming stores the automatic score as the instructor's;
    overriding stores the given score (or the count of `found`); revoking restores the automatic
    score. Every override records who, when and why. Returns what was done."""
    from grader.store import now

    item, groups = answer_groups(app, quiz_name, item_id)
    if (group is None) == (response is None):
        raise UsageProblem("Name what to decide on: --group N (from the list) or --response ID.")
    if group is not None:
        chosen = next((g for g in groups if g.number == group), None)
        if chosen is None:
            raise UsageProblem(f"No group {group} for '{item.id}': there are {len(groups)} "
                               f"(list them with: grade answers {quiz_name} {item_id}).")
        targets = chosen.answers
    else:
        targets = [a for g in groups for a in g.answers if a.response_id == response]
        if not targets:
            raise UsageProblem(f"No answer with id {response} to '{item.id}' (the list shows each answer's id).")
    ids = [a.response_id for a in targets]
    if decision.revoke:
        n = app.store().revoke_answer_overrides(ids, now())
        return {"action": "revoked", "responses": ids, "overrides_revoked": n}
    concepts = [c.id for c in item.rubric]
    if decision.found is not None:
        unknown = [c for c in decision.found if c not in concepts]
        if unknown:
            raise UsageProblem(f"Unknown concept(s) {', '.join(unknown)}; the rubric's are: {', '.join(concepts)}.")
    top = float(len(item.rubric))
    if decision.score is not None and not 0 <= decision.score <= top:
        raise UsageProblem(f"A score must be between 0 and {top:g} (the question's points).")
    if not decision.confirm and decision.score is None and decision.found is None:
        raise UsageProblem("Say what to do: --confirm, --score S, --found CONCEPTS or --revoke.")
    who = by or _os_user()
    at = now()
    rows = []
    for a in targets:
        if decision.confirm:
            found, score = a.found, float(len(a.found))
        else:
            found = decision.found
            score = decision.score if decision.score is not None else float(len(found or []))
        rows.append({"response_id": a.response_id, "score": score,
                     "found": json.dumps(found) if found is not None else None,
                     "reason": decision.reason or ("confirmed" if decision.confirm else ""),
                     "by": who, "created_at": at})
    app.store().add_answer_overrides(rows)
    return {"action": "confirmed" if decision.confirm else "overridden", "responses": ids, "by": who,
            "at": at, "score": None if decision.confirm else rows[0]["score"]}


def review_answer_groups(app, quiz_name: str, item_id: str, decide, by: str = "") -> list[dict]:
    """Walk the groups one by one: `decide(group)` (the caller's prompt) returns a Decision, None to
    skip, or raises KeyboardInterrupt/EOFError to stop. What was decided is stored as it goes."""
    _, groups = answer_groups(app, quiz_name, item_id)
    done = []
    for g in groups:
        try:
            decision = decide(g)
        except (KeyboardInterrupt, EOFError):
            break
        if decision is not None:
            done.append(decide_answers(app, quiz_name, item_id, decision, group=g.number, by=by))
    return done


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "instructor"
