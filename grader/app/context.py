"""What a command needs to know about where it runs: workspace, database, student, sandbox.

Every application function takes an AppContext as its first argument; nothing is looked up
globally. Torch-free: the sandbox module is imported only when a command grades.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from grader.app.workspace import Workspace, find_workspace, resolve_db_path, student_identity
from grader.errors import WorkspaceNotFound

if TYPE_CHECKING:  # sqlite_utils and the sandbox load only in commands that use them
    from grader.sandbox.client import Sandbox
    from grader.store import Store


@dataclass
class AppContext:
    db_option: Optional[str] = None
    cwd: Optional[Path] = None
    # Where gradings get their sandbox: None starts one per command (closed with it); tests and
    # long-lived callers pass a factory that returns their own warm one.
    sandbox_factory: Optional[Callable[[], "Sandbox"]] = None
    _workspace: Optional[Workspace] = field(default=None, init=False)
    _looked: bool = field(default=False, init=False)
    _store: Optional["Store"] = field(default=None, init=False)
    _sandbox: Optional["Sandbox"] = field(default=None, init=False)

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

    def store(self) -> "Store":
        if self._store is None:
            from grader.store import open_store

            ws = self.find_workspace()
            path = resolve_db_path(self.db_option, ws)
            # Only the workspace's own .grade/ folder is made on the fly: a mistyped --db or
            # GRADER_DB must fail, not start a fresh database that looks like lost progress.
            self._store = open_store(path, create_folder=ws is not None and path == ws.default_db)
        return self._store

    def sandbox(self, light: bool = False) -> "Sandbox":
        """The sandbox this command's gradings share, started (warming up) on first use: call it
        first thing, so the worker imports torch while the command does its own imports.
        light: see grader.engine.warm.trains_nothing."""
        if self._sandbox is None:
            if self.sandbox_factory is not None:
                self._sandbox = self.sandbox_factory()
            else:
                from grader.engine.warm import start_sandbox

                self._sandbox = start_sandbox(light=light)
        return self._sandbox

    @property
    def student(self) -> str:
        return student_identity(self.find_workspace())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._sandbox is not None:
            if self.sandbox_factory is None:  # ours: a factory's sandbox belongs to its owner
                from grader.engine.warm import close_sandbox

                close_sandbox(self._sandbox)
            self._sandbox = None
