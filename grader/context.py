"""What a command needs to know about where it runs: workspace, database, student. Torch-free."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import WorkspaceNotFound
from grader.workspace import Workspace, find_workspace, resolve_db_path, student_identity

if TYPE_CHECKING:  # sqlite_utils costs ~0.1 s at import: only commands that use the database pay it
    from grader.store import Store


@dataclass
class AppContext:
    db_option: str | None = None
    cwd: Path | None = None
    _workspace: Workspace | None = field(default=None, init=False)
    _looked: bool = field(default=False, init=False)
    _store: Store | None = field(default=None, init=False)

    def find_workspace(self) -> Workspace | None:
        if not self._looked:
            self._looked = True
            try:
                self._workspace = find_workspace(self.cwd)
            except WorkspaceNotFound:
                self._workspace = None
        return self._workspace

    def workspace(self) -> Workspace:
        ws = self.find_workspace()
        if ws is None:
            find_workspace(self.cwd)  # raises the explanatory error
        assert ws is not None
        return ws

    def has_db(self) -> bool:
        try:
            resolve_db_path(self.db_option, self.find_workspace())
            return True
        except WorkspaceNotFound:
            return False

    def store(self) -> Store:
        if self._store is None:
            from grader.store import open_store

            self._store = open_store(resolve_db_path(self.db_option, self.find_workspace()))
        return self._store

    @property
    def student(self) -> str:
        return student_identity(self.find_workspace())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
