"""The instructor's commands: report, collect, regrade. One function per command; no click."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Optional

from grader import course
from grader.app.context import AppContext
from grader.errors import UsageProblem

REPORT_FORMATS = ("table", "csv", "json", "html", "moodle", "canvas")


def report(ctx: AppContext, fmt: str, *, all_attempts: bool = False, width: int | None = None) -> str:
    """The report in format `fmt`, as text (the terminal table rendered at `width` columns)."""
    from grader.instructor.report import build_report

    data = build_report(ctx.store(), course.load(), "all" if all_attempts else "first")
    if fmt == "table":
        from rich.console import Console

        from grader.instructor.formats import render_table

        sink = io.StringIO()
        render_table(data, Console(file=sink, width=width or 160, color_system=None, highlight=False))
        return sink.getvalue()
    if fmt in ("csv", "moodle", "canvas"):
        from grader.instructor.gradebook import render

        return render(with_identities(ctx, data), fmt)
    if fmt == "json":
        from grader.instructor.formats import render_json

        return render_json(data) + "\n"
    if fmt == "html":
        from grader.instructor.html_report import render_html

        return render_html(data)
    raise UsageProblem(f"Unknown report format '{fmt}'; choose one of {', '.join(REPORT_FORMATS)}.")


def report_to_console(ctx: AppContext, console, *, all_attempts: bool = False) -> None:
    """The table report, straight to a terminal (its width, its colours)."""
    from grader.instructor.formats import render_table
    from grader.instructor.report import build_report

    render_table(build_report(ctx.store(), course.load(), "all" if all_attempts else "first"), console)


def write_text(out: Path, text: str) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"Cannot write {out}: {exc.strerror or exc}. Choose another path with --out.") from None


def with_identities(ctx: AppContext, data: dict) -> dict:
    """The report with each matrix row's LMS identity (email, student_id, and the roster's
    lms_id, login, section, on_roster) filled in where the report does not carry it, and the
    names of the course's quizzes (a gradebook has columns for those only)."""
    from grader.quiz.catalog import quiz_names

    people = ctx.store().student_identities()
    for row in data["matrix"]:
        for key, value in people.get(row["student"], {}).items():
            if not row.get(key):
                row[key] = value
    data.setdefault("course_quizzes", quiz_names())
    return data


def instructor_name() -> str:
    """Who is collecting, for the log of bundle changes: the OS user name."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "instructor"


def collect(ctx: AppContext, bundles: list[Path], *, roster: Path | None = None, progress=None):
    """Import the bundles (with a roster: filed under the roster's students); a CollectReport."""
    from grader.instructor.collect import collect as run
    from grader.instructor.roster import read_roster

    known = set(course.load().names())
    parsed = read_roster(roster) if roster is not None else None
    return run(ctx.store(), bundles, known, roster=parsed, by=instructor_name(), progress=progress)


def bundle_log(ctx: AppContext, student: str | None = None) -> list[dict]:
    """Every change of a student's current bundle (collected, replaced, undone), oldest first."""
    return ctx.store().bundle_events(student)


def undo_bundle_change(ctx: AppContext, event: int) -> dict:
    """Reverse change #event (a student's latest): their bundle before it is current again."""
    return ctx.store().undo_bundle_event(event, instructor_name())


def pending_regrades(ctx: AppContext, force: bool = False) -> tuple[list, int]:
    from grader.instructor.regrade import pending_jobs

    return pending_jobs(ctx.store(), course.load(), force)


def regrade(ctx: AppContext, *, jobs: Optional[int], force: bool, progress=None):
    from grader.instructor.regrade import regrade as run

    return run(ctx.store(), course.load(), workers=jobs or 1, force=force, progress=progress,
               sandbox=ctx.sandbox())
