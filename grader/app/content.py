"""Course content commands: the authoring self-check and the Gradescope export. No click here."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional

from grader import course
from grader.app.context import AppContext


def check(ctx: AppContext, seeds: int, only: Optional[list] = None,
          progress: Optional[Callable] = None) -> list:
    """`grade check`: grade every stub and every reference solution under `seeds` seeds."""
    from grader.engine.check import run_check

    box = ctx.sandbox()
    box.expect_many_sessions()
    return run_check(course.load(), seeds, only, progress, sandbox=box)


def export_gradescope(out: Path, *, hidden_visibility: str, torch_version: str | None) -> Path:
    from grader.instructor.gradescope import export_gradescope as export

    return export(out, hidden_visibility=hidden_visibility, torch_version=torch_version)
