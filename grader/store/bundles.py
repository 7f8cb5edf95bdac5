"""Collected submission bundles (migration 0003_instructor): importing one, replacing an older one,
the regrade jobs they give, and the rows a student's own bundle carries (grade submit)."""

from __future__ import annotations

import json
from datetime import datetime

from grader.engine.results import now


def _when(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def _json_list(text: str | None) -> list:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


class BundleRows:
    """Methods of grader.store.Store for bundles, bundle_files and bundle_rows."""

    # -- grade collect -----------------------------------------------------------------------
    def collect_bundle(self, bundle) -> dict:
        """Import one validated bundle (grader.instructor.bundle.Bundle) in a single transaction.

        Idempotent by the bundle's SHA-256. A newer bundle from the same student supersedes the
        older one: the older bundle's imported rows are removed (a student's progress only grows,
        so the newer bundle carries all of it) and its record is kept, marked superseded. An older
        bundle arriving late is recorded as superseded at once. Returns {status: collected |
        unchanged | older, bundle_id, student, replaced, attempts, quiz_attempts}."""
        with self.transaction() as db:
            found = db.execute("select id, student_id from bundles where sha256 = ?", [bundle.sha256]).fetchone()
            if found:
                name = db.execute("select name from students where id = ?", [found[1]]).fetchone()[0]
                return {"status": "unchanged", "bundle_id": found[0], "student": name}
            student_id = self.student_id_in(db, bundle.student)
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
            outcome = {"status": "older" if older else "collected", "bundle_id": bundle_id,
                       "student": bundle.student, "replaced": None, "attempts": 0, "quiz_attempts": 0}
            if older:
                return outcome
            if current is not None:
                self._delete_imported(db, current[0])
                db.execute("update bundles set status = 'superseded', superseded_by = ? where id = ?",
                           [bundle_id, current[0]])
                outcome["replaced"] = current[0]
            outcome["attempts"], outcome["quiz_attempts"] = self._import_rows(db, bundle, bundle_id, student_id)
            return outcome

    @staticmethod
    def _delete_imported(db, bundle_id: int) -> None:
        rows = db.execute("select kind, row_id from bundle_rows where bundle_id = ?", [bundle_id]).fetchall()
        attempts = [r for k, r in rows if k == "attempt"]
        quiz_attempts = [r for k, r in rows if k == "quiz_attempt"]
        hints = [r for k, r in rows if k == "hint_use"]
        for ids, sqls in (
            (attempts, ["delete from test_results where attempt_id in ({})", "delete from metrics where attempt_id in ({})",
                        "delete from trace where attempt_id in ({})", "delete from attempts where id in ({})"]),
            (quiz_attempts, ["delete from quiz_responses where attempt_id in ({})",
                             "delete from quiz_attempts where id in ({})"]),
            (hints, ["delete from hint_uses where id in ({})"]),
        ):
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for sql in sqls:
                    db.execute(sql.format(marks), chunk)
        db.execute("delete from bundle_rows where bundle_id = ?", [bundle_id])

    @staticmethod
    def _import_rows(db, bundle, bundle_id: int, student_id: int) -> tuple[int, int]:
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

    # -- grade regrade -----------------------------------------------------------------------
    def current_bundle_files(self) -> list[tuple[int, str, str, str]]:
        """(bundle id, student, exercise, sha256) of every file of every current bundle."""
        return [tuple(row) for row in self.db.execute(
            """select b.id, s.name, f.exercise, f.sha256 from bundles b
               join students s on s.id = b.student_id join bundle_files f on f.bundle_id = b.id
               where b.status = 'current' order by s.name, f.exercise""").fetchall()]

    def regraded(self, grader_version: str) -> set[tuple[str, str, str]]:
        """(student, exercise, sha256) of every complete regrade by this grader version."""
        return {tuple(row) for row in self.db.execute(
            """select s.name, a.exercise, a.source_sha256 from attempts a join students s on s.id = a.student_id
               where a.origin = 'regrade' and a.complete = 1 and a.grader_version = ?""",
            [grader_version]).fetchall()}

    def bundle_source(self, bundle_id: int, exercise: str) -> str:
        return self.db.execute("select source from bundle_files where bundle_id = ? and exercise = ?",
                               [bundle_id, exercise]).fetchone()[0]

    # -- grade submit: what a student's own bundle carries ------------------------------------
    def own_progress(self, student: str) -> dict:
        """The student's own attempts and hint uses, as a bundle's progress.json holds them."""
        attempts = [
            {
                "exercise": row["exercise"], "passed": bool(row["passed"]), "score": row["score"] or 0.0,
                "max_score": row["max_score"] or 0.0, "duration_s": row["duration_s"] or 0.0,
                "seed": row["seed"], "started_at": row["started_at"], "complete": bool(row["complete"]),
                "diagnoses": _json_list(row["diagnoses"]), "source_sha256": row["source_sha256"] or "",
            }
            for row in self.db.query(
                """select a.* from attempts a join students s on s.id = a.student_id
                   where s.name = ? and a.origin = 'local' order by a.id""", [student])
        ]
        hints = [
            {"exercise": row["exercise"], "hint_number": row["hint_number"], "used_at": row["used_at"]}
            for row in self.db.query(
                """select h.* from hint_uses h join students s on s.id = h.student_id
                   where s.name = ? order by h.id""", [student])
        ]
        return {"attempts": attempts, "hints": hints}

    def own_quiz_attempts(self, student: str) -> dict:
        """The student's own quiz attempts with their responses, as a bundle's quizzes.json holds them."""
        attempts = []
        for qa in self.db.query(
            """select q.* from quiz_attempts q join students s on s.id = q.student_id
               where s.name = ? and coalesce(q.origin, 'local') = 'local' order by q.id""", [student]
        ):
            responses = [
                {
                    "position": r["position"] or 0, "question_id": r["question_id"], "kind": r["kind"] or "",
                    "shown_order": [str(o) for o in _json_list(r["shown_order"])], "chosen": r["chosen"],
                    "correct": None if r["correct"] is None else bool(r["correct"]), "score": r["score"],
                    "max_score": r["max_score"], "time_s": r["time_s"],
                    "concepts_found": [str(c) for c in _json_list(r["concepts_found"])],
                    "concepts_missing": [str(c) for c in _json_list(r["concepts_missing"])],
                    "misconception": r["misconception"] or None,
                }
                for r in self.db.query("select * from quiz_responses where attempt_id = ? order by position, id",
                                       [qa["id"]])
            ]
            attempts.append({
                "quiz": qa["quiz"], "quiz_version": qa["quiz_version"] or "", "seed": qa["seed"],
                "started_at": qa["started_at"], "finished_at": qa["finished_at"],
                "complete": bool(qa["complete"]), "score": qa["score"], "max_score": qa["max_score"],
                "mode": qa["mode"] or "", "responses": responses,
            })
        return {"attempts": attempts}
