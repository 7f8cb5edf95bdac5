"""The instructor's commands: report, collect, regrade. Each parses its options, calls one
function in grader.app.instructor and exits. report and collect never import torch."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import app, jobs_option, note
from grader.errors import EXIT_GRADER, EXIT_INTERRUPTED, EXIT_USAGE


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True, help="table: the terminal; csv: one row per student for an LMS gradebook; "
                                      "json: everything; html: one self-contained file with charts.")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE instead of standard output.")
@click.option("--all-attempts", is_flag=True,
              help="Item analysis over every complete quiz attempt (default: each student's first, as Moodle).")
@click.pass_context
def report_cmd(ctx: click.Context, fmt: str, as_json: bool, out: Path | None, all_attempts: bool) -> None:
    """Results, statistics and item analysis.

    Works on an instructor's database (after collect and regrade: scores are then the
    authoritative regraded ones) and on a student's own database (their progress).

    \b
    Example:
        grade --db class.db report
        grade --db class.db report --format csv --out gradebook.csv
        grade --db class.db report --format html --out report.html
    """
    from grader.app import instructor

    if as_json:
        fmt = "json"
    a = app(ctx)
    if fmt == "table" and out is None:
        from grader.cli.options import console

        instructor.report_to_console(a, console(), all_attempts=all_attempts)
        return
    text = instructor.report(a, fmt, all_attempts=all_attempts)
    if out is None:
        click.echo(text, nl=False)
        return
    instructor.write_text(out, text)
    note(f"Wrote the {fmt} report to {out}")


@click.command("collect")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def collect_cmd(ctx: click.Context, bundles: tuple[Path, ...]) -> None:
    """Import students' bundles (safe to repeat).

    Nothing is imported twice. A newer bundle from the same student replaces the older one.
    A malformed bundle is reported with `Error:` (exit 2) and the others are still imported.

    \b
    Example:
        grade --db class.db collect submissions/*.zip
        grade --db class.db regrade
    """
    from grader.app import instructor
    from grader.text import plain

    result = instructor.collect(app(ctx), list(bundles))
    for outcome in result.outcomes:
        click.echo(plain(outcome.describe()))
    for line in result.errors:
        click.echo(f"Error: {plain(line)}", err=True)
    if result.outcomes and any(o.status == "collected" for o in result.outcomes):
        click.echo("Next: grade regrade (authoritative scores), then grade report.")
    if result.errors:
        ctx.exit(EXIT_USAGE)


@click.command("regrade")
@jobs_option("Grading processes in parallel (default: CPU count, at most 4).")
@click.option("--force", is_flag=True, help="Regrade everything again, not only what is pending.")
@click.pass_context
def regrade_cmd(ctx: click.Context, jobs: int | None, force: bool) -> None:
    """Re-run the hidden tests on collected submissions.

    These are the authoritative scores. Interrupted? Run it again: it resumes where it stopped.

    \b
    Example:
        grade --db class.db regrade --jobs 4
        grade --db class.db report
    """
    import os

    from grader.app import instructor
    from grader.text import plain

    a = app(ctx)
    a.sandbox()  # first: the worker imports torch while this process finds the work
    workers = jobs or max(1, min(4, os.cpu_count() or 1))
    todo, done = instructor.pending_regrades(a, force)
    if not todo:
        what = f"all {done} gradings are up to date" if done else "no collected submissions"
        click.echo(f"Nothing to regrade: {what}." + ("" if done else " Collect bundles first: grade collect BUNDLE..."))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("regrading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("", total=len(todo))

        def progress(done_n, total, job, result, error) -> None:
            what = "error" if error else ("passed" if result.passed else f"{result.score:g}/{result.max_score:g}")
            bar.update(task, completed=done_n, description=escape(plain(f"{job.student} {job.exercise}: {what}")))

        summary = instructor.regrade(a, jobs=workers, force=force, progress=progress)
    click.echo(f"Regraded {summary.graded} of {summary.total} gradings"
               + (f" ({summary.already_done} were already up to date)" if summary.already_done else "") + ".")
    for line in summary.errors:
        click.echo(f"Error: could not grade {plain(line)}", err=True)
    if summary.interrupted:
        click.echo("Interrupted: what finished is stored. Run 'grade regrade' again to resume.", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    if summary.errors:
        ctx.exit(EXIT_GRADER)
