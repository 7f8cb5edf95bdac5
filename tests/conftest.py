"""Shared fixtures: temporary databases and workspaces, and one warm sandbox per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import course


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path_factory):
    """Tests never see a developer's GRADER_DB or GRADER_STUDENT."""
    monkeypatch.delenv("GRADER_DB", raising=False)
    monkeypatch.setenv("GRADER_STUDENT", "tester")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def fresh_db(db_path: Path):
    from grader.store import open_store

    store = open_store(db_path)
    yield store
    store.close()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch):
    """A fresh student workspace made by `grade init`, as the current directory."""
    from grader.app.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "course")
    monkeypatch.chdir(ws.root)
    return ws


class GradeRunner(CliRunner):
    """A CliRunner whose gradings use the session's warm sandbox (started on first use), as
    `grade` would use its own: each invocation gets a fresh AppContext, as a new process would."""

    def __init__(self, request: pytest.FixtureRequest):
        super().__init__()
        self._request = request

    def invoke(self, cli, args=None, **kwargs):
        from grader.app.context import AppContext

        kwargs.setdefault("obj", AppContext(sandbox_factory=lambda: self._request.getfixturevalue("sandbox")))
        return super().invoke(cli, args, **kwargs)


@pytest.fixture
def runner(request: pytest.FixtureRequest) -> CliRunner:
    return GradeRunner(request)


@pytest.fixture(scope="session")
def sandbox():
    """One warm worker parent for the whole test session (torch imported once)."""
    from grader.sandbox.client import Sandbox

    box = Sandbox()
    box.expect_many_sessions()
    box.warm()
    yield box
    box.close()


def solution_path(exercise) -> Path:
    return course.SOLUTIONS_DIR / exercise.solution


def stub_path(exercise) -> Path:
    return course.exercises_dir() / exercise.file
