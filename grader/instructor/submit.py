"""`grade submit`: pack a student's exercise files, progress and quiz responses into one bundle."""

from __future__ import annotations

import json
import re
from pathlib import Path

from grader import __version__
from grader.errors import UsageProblem
from grader.instructor.bundle import MAX_SOURCE_BYTES, write_bundle
from grader.manifest import Manifest
from grader.store import Store, now
from grader.workspace import Workspace


def default_bundle_path(workspace: Workspace, student: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", student).strip("._") or "student"
    return workspace.root / f"submission-{safe}.zip"


def _progress(store: Store, student: str) -> dict:
    attempts = [
        {
            "exercise": row["exercise"],
            "passed": bool(row["passed"]),
            "score": row["score"] or 0.0,
            "max_score": row["max_score"] or 0.0,
            "duration_s": row["duration_s"] or 0.0,
            "seed": row["seed"],
            "started_at": row["started_at"],
            "complete": bool(row["complete"]),
            "diagnoses": json.loads(row["diagnoses"] or "[]"),
            "source_sha256": row["source_sha256"] or "",
        }
        for row in store.db.query(
            """select a.* from attempts a join students s on s.id = a.student_id
               where s.name = ? and a.origin = 'local' order by a.id""", [student])
    ]
    hints = [
        {"exercise": row["exercise"], "hint_number": row["hint_number"], "used_at": row["used_at"]}
        for row in store.db.query(
            """select h.* from hint_uses h join students s on s.id = h.student_id
               where s.name = ? order by h.id""", [student])
    ]
    return {"attempts": attempts, "hints": hints}


def _json_list(text: str | None) -> list:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _quizzes(store: Store, student: str) -> dict:
    attempts = []
    for qa in store.db.query(
        """select q.* from quiz_attempts q join students s on s.id = q.student_id
           where s.name = ? and coalesce(q.origin, 'local') = 'local' order by q.id""", [student]
    ):
        responses = [
            {
                "position": r["position"] or 0,
                "question_id": r["question_id"],
                "kind": r["kind"] or "",
                "shown_order": [str(o) for o in _json_list(r["shown_order"])],
                "chosen": r["chosen"],
                "correct": None if r["correct"] is None else bool(r["correct"]),
                "score": r["score"],
                "max_score": r["max_score"],
                "time_s": r["time_s"],
                "concepts_found": [str(c) for c in _json_list(r["concepts_found"])],
                "concepts_missing": [str(c) for c in _json_list(r["concepts_missing"])],
                "misconception": r["misconception"] or None,
            }
            for r in store.db.query("select * from quiz_responses where attempt_id = ? order by position, id",
                                    [qa["id"]])
        ]
        attempts.append({
            "quiz": qa["quiz"],
            "quiz_version": qa["quiz_version"] or "",
            "seed": qa["seed"],
            "started_at": qa["started_at"],
            "finished_at": qa["finished_at"],
            "complete": bool(qa["complete"]),
            "score": qa["score"],
            "max_score": qa["max_score"],
            "mode": qa["mode"] or "",
            "responses": responses,
        })
    return {"attempts": attempts}


def submit(store: Store, workspace: Workspace, manifest: Manifest, student: str,
           out: Path | None = None) -> Path:
    """Write the bundle for `student` and return its path."""
    sources: dict[str, tuple[str, bytes]] = {}
    for ex in manifest.exercises:
        path = workspace.student_file(ex)
        if not path.is_file():
            continue  # never started (or deleted): nothing to hand in for it
        data = path.read_bytes()
        if len(data) > MAX_SOURCE_BYTES:
            raise UsageProblem(f"{path} is {len(data) // 1024} KB; an exercise file must be under "
                               f"{MAX_SOURCE_BYTES // 1000} KB to be submitted.")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageProblem(f"{path} is not UTF-8 text; save it as UTF-8 and submit again.") from None
        sources[ex.name] = (ex.file, data)
    if not sources:
        raise UsageProblem(f"No exercise files in {workspace.exercises}; run 'grade reset EXERCISE' "
                           "to restore a stub, or cd into your workspace.")
    target = out if out is not None else default_bundle_path(workspace, student)
    if target.is_dir():
        target = target / default_bundle_path(workspace, student).name
    try:
        return write_bundle(target, student=student, grader_version=__version__, created_at=now(),
                            sources=sources, progress=_progress(store, student),
                            quizzes=_quizzes(store, student))
    except OSError as exc:
        raise UsageProblem(f"Cannot write {target}: {exc.strerror or exc}. Pass --out PATH "
                           "to write it somewhere else.") from None
