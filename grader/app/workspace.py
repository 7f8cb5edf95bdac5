"""The student's workspace: the folder holding exercises/ with the manifest, plus .grade/.

.grade/ holds the default database, the student's config and backups made by `grade reset`.
"""

from __future__ import annotations

import getpass
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from grader import course, settings
from grader.errors import UsageProblem, WorkspaceNotFound

if TYPE_CHECKING:  # pydantic is not needed to find a workspace (keeps `grade --help` fast)
    from grader.course.manifest import Exercise

STATE_DIR = ".grade"
DB_NAME = "grader.db"
CONFIG_NAME = "config.json"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    def student_file(self, exercise: Exercise) -> Path:
        return self.exercises / exercise.file

    @property
    def default_db(self) -> Path:
        return self.state / DB_NAME

    @property
    def is_course_source(self) -> bool:
        """True when this workspace is the course's own source folder (an author's checkout)."""
        try:
            return self.exercises.resolve() == course.exercises_dir().resolve()
        except OSError:
            return False


def find_workspace(start: Path | None = None) -> Workspace:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "exercises" / course.MANIFEST_NAME).is_file():
            return Workspace(folder)
    raise WorkspaceNotFound(
        f"No workspace here: no exercises/{course.MANIFEST_NAME} in {here} or above. "
        "Run 'grade init DIR' to make one, then cd into it."
    )


def init_workspace(target: Path) -> tuple[Workspace, bool]:
    """Copy the course's stubs and manifest into a fresh folder. Never overwrites work.

    Returns the workspace and whether it was created (False: it already was one)."""
    target = target.resolve()
    if (target / "exercises" / course.MANIFEST_NAME).is_file():
        return Workspace(target), False  # already a workspace: keep the student's work untouched
    if (target / "exercises").exists():
        raise UsageProblem(f"{target} already has an exercises/ folder; choose an empty or new folder.")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(course.exercises_dir(), target / "exercises",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (target / STATE_DIR).mkdir(exist_ok=True)
    (target / ".gitignore").write_text(f"{STATE_DIR}/\n__pycache__/\n")
    return Workspace(target), True


def resolve_db_path(cli_db: str | None, workspace: Workspace | None) -> Path:
    """--db, else GRADER_DB, else .grade/grader.db in the workspace."""
    if cli_db:
        return Path(cli_db)
    env = settings.get("GRADER_DB")
    if env:
        return Path(env)
    if workspace is None:
        raise WorkspaceNotFound(
            "No database: pass --db PATH, set GRADER_DB, or run inside a workspace (grade init DIR)."
        )
    return workspace.default_db


def _config_path(workspace: Workspace | None) -> Path | None:
    return workspace.state / CONFIG_NAME if workspace else None


def read_config(workspace: Workspace | None) -> dict:
    path = _config_path(workspace)
    if path and path.is_file():
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}
    return {}


def write_config(workspace: Workspace, **values: str) -> None:
    path = _config_path(workspace)
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    data = read_config(workspace) | values
    path.write_text(json.dumps(data, indent=2) + "\n")


def student_identity(workspace: Workspace | None) -> str:
    """GRADER_STUDENT, else the configured name, else the OS user name."""
    name = settings.get("GRADER_STUDENT") or read_config(workspace).get("student")
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no passwd entry in some containers
            name = "student"
    return name.strip() or "student"


def backup_file(workspace: Workspace, path: Path) -> Path:
    backups = workspace.state / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest = backups / f"{path.stem}.{stamp}{path.suffix}"
    n = 1
    while dest.exists():
        dest = backups / f"{path.stem}.{stamp}-{n}{path.suffix}"
        n += 1
    shutil.copy2(path, dest)
    return dest


def reset_exercise(workspace: Workspace, exercise: Exercise) -> Path | None:
    """Restore the stub; the student's version is kept in .grade/backups. Returns the backup."""
    if workspace.is_course_source:
        raise UsageProblem(
            "This is the course's source folder, so there is no separate pristine stub to restore. "
            "Use 'git checkout -- exercises/' here, or make a workspace with 'grade init DIR'."
        )
    stub = course.exercises_dir() / exercise.file
    dest = workspace.student_file(exercise)
    backup = backup_file(workspace, dest) if dest.exists() else None
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stub, dest)
    return backup
