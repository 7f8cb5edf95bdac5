"""`grade collect`: import validated bundles into the instructor's database, idempotently.

Collecting the same bundle twice changes nothing (bundles are keyed by their SHA-256). A newer
bundle from the same student supersedes the older one: the older bundle's imported rows are
removed (a student's progress only grows, so the newer bundle carries all of it) and its record
is kept, marked superseded. An older bundle arriving late is recorded as superseded at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader.instructor.bundle import Bundle, read_bundle
from grader.store import Store, now
from sqlite_utils import Database


@dataclass
class CollectOutcome:
    path: Path
    student: str
    status: str  # collected | unchanged | older
    bundle_id: int
    replaced: int | None = None  # the bundle this one superseded
    exercises: int = 0
    attempts: int = 0
    quiz_attempts: int = 0
    skipped_exercises: list[str] = field(default_factory=list)

    def describe(self) -> str:
        name = self.path.name
        if self.status == "unchanged":
            return f"{name}: already collected for {self.student}; nothing changed."
        if self.status == "older":
            return (f"{name}: older than the bundle already collected for {self.student}; "
                    "kept for the record, not imported.")
        what = (f"{self.exercises} exercise file(s), {self.attempts} self-reported attempt(s), "
                f"{self.quiz_attempts} quiz attempt(s)")
        extra = f"; replaces bundle #{self.replaced}" if self.replaced else ""
        skipped = (f"; skipped {', '.join(self.skipped_exercises)} (not in this course)"
                   if self.skipped_exercises else "")
        return f"{name}: collected {self.student}: {what}{extra}{skipped}."


def _when(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _delete_imported(db: Database, bundle_id: int) -> None:
    rows = db.execute("select kind, row_id from bundle_rows where bundle_id = ?", [bundle_id]).fetchall()
    attempts = [r for k, r in rows if k == "attempt"]
    quiz_attempts = [r for k, r in rows if k == "quiz_attempt"]
    hints = [r for k, r in rows if k == "hint_use"]
    for ids, sqls in (
        (attempts, ["delete from test_results where attempt_id in ({})", "delete from metrics where attempt_id in ({})",
                    "delete from trace where attempt_id in ({})", "delete from attempts where id in ({})"]),
        (quiz_attempts, ["delete from quiz_responses where attempt_id in ({})", "delete from quiz_attempts where id in ({})"]),
        (hints, ["delete from hint_uses where id in ({})"]),
    ):
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for sql in sqls:
                db.execute(sql.format(marks), chunk)
    db.execute("delete from bundle_rows where bundle_id = ?", [bundle_id])


def _import_rows(db: Database, bundle: Bundle, bundle_id: int, student_id: int) -> tuple[int, int]:
    links: list[dict] = []
    for a in bundle.progress.attempts:
        attempt_id = db["attempts"].insert({
            "student_id": student_id, "exercise": a.exercise, "slug": "", "passed": int(a.passed),
            "score": a.score, "max_score": a.max_score, "duration_s": a.duration_s, "seed": a.seed,
            "started_at": a.started_at, "complete": int(a.complete), "origin": "collected",
            "grader_version": bundle.manifest.grader_version, "source_sha256": a.source_sha256,
            "source": "", "diagnoses": json.dumps([d.model_dump() for d in a.diagnoses]),
            "status_message": "",
        }).last_pk
        links.append({"bundle_id": bundle_id, "kind": "attempt", "row_id": attempt_id})
    for h in bundle.progress.hints:
        hint_id = db["hint_uses"].insert({"student_id": student_id, "exercise": h.exercise,
                                          "hint_number": h.hint_number, "used_at": h.used_at}).last_pk
        links.append({"bundle_id": bundle_id, "kind": "hint_use", "row_id": hint_id})
    for q in bundle.quizzes.attempts:
        quiz_attempt_id = db["quiz_attempts"].insert({
            "student_id": student_id, "quiz": q.quiz, "quiz_version": q.quiz_version, "seed": q.seed,
            "started_at": q.started_at, "finished_at": q.finished_at, "complete": int(q.complete),
            "score": q.score, "max_score": q.max_score, "origin": "collected", "mode": q.mode,
        }).last_pk
        db["quiz_responses"].insert_all(
            {
                "attempt_id": quiz_attempt_id, "position": r.position, "question_id": r.question_id,
                "kind": r.kind, "shown_order": json.dumps(r.shown_order), "chosen": r.chosen,
                "correct": None if r.correct is None else int(r.correct), "score": r.score,
                "max_score": r.max_score, "time_s": r.time_s,
                "concepts_found": json.dumps(r.concepts_found),
                "concepts_missing": json.dumps(r.concepts_missing), "misconception": r.misconception,
            }
            for r in q.responses
        )
        links.append({"bundle_id": bundle_id, "kind": "quiz_attempt", "row_id": quiz_attempt_id})
    if links:
        db["bundle_rows"].insert_all(links)
    return len(bundle.progress.attempts), len(bundle.quizzes.attempts)


def collect_bundle(store: Store, bundle: Bundle) -> CollectOutcome:
    """Import one validated bundle in a single transaction."""
    with store.transaction() as db:
        found = db.execute("select id, student_id from bundles where sha256 = ?", [bundle.sha256]).fetchone()
        if found:
            name = db.execute("select name from students where id = ?", [found[1]]).fetchone()[0]
            return CollectOutcome(bundle.path, name, "unchanged", found[0])
        student_id = store.student_id_in(db, bundle.student)
        current = db.execute(
            "select id, created_at from bundles where student_id = ? and status = 'current'", [student_id]
        ).fetchone()
        older = current is not None and _when(bundle.manifest.created_at) < _when(current[1])
        bundle_id = db["bundles"].insert({
            "student_id": student_id, "sha256": bundle.sha256, "created_at": bundle.manifest.created_at,
            "collected_at": now(), "grader_version": bundle.manifest.grader_version,
            "file_name": bundle.path.name, "size": bundle.size,
            "status": "superseded" if older else "current",
            "superseded_by": current[0] if older else None,
        }).last_pk
        db["bundle_files"].insert_all(
            {"bundle_id": bundle_id, "exercise": exercise,
             "path": bundle.manifest.exercises[exercise].path,
             "sha256": bundle.manifest.files[bundle.manifest.exercises[exercise].path].sha256,
             "size": len(data), "source": data.decode("utf-8")}
            for exercise, data in bundle.sources.items()
        )
        outcome = CollectOutcome(bundle.path, bundle.student, "older" if older else "collected", bundle_id,
                                 exercises=len(bundle.sources))
        if older:
            return outcome
        if current is not None:
            _delete_imported(db, current[0])
            db.execute("update bundles set status = 'superseded', superseded_by = ? where id = ?",
                       [bundle_id, current[0]])
            outcome.replaced = current[0]
        outcome.attempts, outcome.quiz_attempts = _import_rows(db, bundle, bundle_id, student_id)
        return outcome


@dataclass
class CollectReport:
    outcomes: list[CollectOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per malformed bundle


def collect(store: Store, paths: list[Path], known_exercises: set[str]) -> CollectReport:
    """Validate and import every bundle; a malformed one is reported and the rest still go in."""
    from grader.errors import UsageProblem

    report = CollectReport()
    for path in paths:
        try:
            bundle = read_bundle(Path(path), known_exercises)
        except UsageProblem as exc:
            report.errors.append(str(exc))
            continue
        outcome = collect_bundle(store, bundle)
        outcome.skipped_exercises = sorted(set(bundle.manifest.exercises) - known_exercises)
        report.outcomes.append(outcome)
    return report
