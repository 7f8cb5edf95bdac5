"""`grade submit`: pack a student's exercise files, progress and quiz responses into one bundle."""

from __future__ import annotations

import re
from pathlib import Path

from grader import __version__
from grader.errors import UsageProblem
from grader.instructor.bundle import MAX_SOURCE_BYTES, write_bundle
from grader.course.manifest import Manifest
from grader.store import Store, now
from grader.app.workspace import Workspace


def default_bundle_path(workspace: Workspace, student: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", student).strip("._") or "student"
    return workspace.root / f"submission-{safe}.zip"


def submit(store: Store, workspace: Workspace, manifest: Manifest, identity,
           out: Path | None = None) -> Path:
    """Write the bundle for the student `identity` names (grader.app.student.Identity); its path."""
    student = identity.name
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
                            sources=sources, progress=store.own_progress(student),
                            quizzes=store.own_quiz_attempts(student), email=identity.email,
                            student_id=identity.student_id)
    except OSError as exc:
        raise UsageProblem(f"Cannot write {target}: {exc.strerror or exc}. Pass --out PATH "
                           "to write it somewhere else.") from None
