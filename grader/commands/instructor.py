"""Instructor commands: report, submit, collect, regrade, export gradescope.

Each parses its options and calls one function in grader.instructor. Importing this module
costs only click: report, submit and collect never import torch; regrade grades, so it does.
"""

from __future__ import annotations

from pathlib import Path

import click


def _app(ctx: click.Context):
    from grader.context import AppContext

    return ctx.ensure_object(AppContext)


def _manifest():
    from grader.course import course_manifest

    return course_manifest()


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table",
              show_default=True, help="table: the terminal; csv: one row per student for an LMS gradebook; "
                                      "json: everything; html: one self-contained file with charts.")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to FILE instead of standard output.")
@click.option("--all-attempts", is_flag=True,
              help="Item analysis over every complete quiz attempt (default: each student's first, as Moodle).")
@click.pass_context
def report_cmd(ctx: click.Context, fmt: str, out: Path | None, all_attempts: bool) -> None:
    """Results: students × exercises, per-exercise and per-quiz statistics, item analysis.

    Works on an instructor's database (after collect and regrade: scores are then the
    authoritative regraded ones) and on a student's own database (their progress).

    \b
    Example:
        grade --db class.db report
        grade --db class.db report --format csv --out gradebook.csv
        grade --db class.db report --format html --out report.html
    """
    from grader.instructor.report import build_report

    data = build_report(_app(ctx).store(), _manifest(), "all" if all_attempts else "first")
    if fmt == "table":
        import io

        from rich.console import Console

        from grader.instructor.formats import render_table

        if out is None:
            render_table(data, Console(highlight=False))
            return
        sink = io.StringIO()
        render_table(data, Console(file=sink, width=160, color_system=None, highlight=False))
        text = sink.getvalue()
    elif fmt == "csv":
        from grader.instructor.formats import render_csv

        text = render_csv(data)
    elif fmt == "json":
        from grader.instructor.formats import render_json

        text = render_json(data) + "\n"
    else:
        from grader.instructor.html_report import render_html

        text = render_html(data)
    if out is None:
        click.echo(text, nl=False)
        return
    _write(out, text)
    click.echo(f"Wrote the {fmt} report to {out}", err=True)


def _write(out: Path, text: str) -> None:
    from grader.errors import UsageProblem

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"Cannot write {out}: {exc.strerror or exc}. Choose another path with --out.") from None


@click.command("submit")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Where to write the bundle (default: submission-<you>.zip in the workspace).")
@click.pass_context
def submit_cmd(ctx: click.Context, out: Path | None) -> None:
    """Write one bundle with your exercise files, progress and quiz responses, to hand in.

    Your instructor collects it and regrades the code; the scores that count are theirs.

    \b
    Example:
        grade submit
        grade submit --out ~/Desktop/autograd-ada.zip
    """
    from grader.instructor.submit import submit

    a = _app(ctx)
    path = submit(a.store(), a.workspace(), _manifest(), a.student, out)
    click.echo(f"Wrote your submission bundle: {path}")
    click.echo("Hand in this file as your instructor asked (e.g. upload it to the course page).")


@click.command("collect")
@click.argument("bundles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def collect_cmd(ctx: click.Context, bundles: tuple[Path, ...]) -> None:
    """Import students' bundles into the database (safe to repeat: nothing is imported twice).

    A newer bundle from the same student replaces the older one. A malformed bundle is
    reported with `Error:` (exit 2) and the others are still imported.

    \b
    Example:
        grade --db class.db collect submissions/*.zip
        grade --db class.db regrade
    """
    from grader.instructor.collect import collect

    result = collect(_app(ctx).store(), list(bundles), set(_manifest().names()))
    for outcome in result.outcomes:
        click.echo(outcome.describe())
    for line in result.errors:
        click.echo(f"Error: {line}", err=True)
    if result.outcomes and any(o.status == "collected" for o in result.outcomes):
        click.echo("Next: grade regrade (authoritative scores), then grade report.")
    ctx.exit(2 if result.errors else 0)


@click.command("regrade")
@click.option("--jobs", "-j", "jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes grading in parallel (default: CPU count, at most 4).")
@click.option("--force", is_flag=True, help="Regrade everything again, not only what is pending.")
@click.pass_context
def regrade_cmd(ctx: click.Context, jobs: int | None, force: bool) -> None:
    """Re-run the hidden tests on every collected submission, in the sandbox.

    These are the authoritative scores. Interrupted? Run it again: it resumes where it stopped.

    \b
    Example:
        grade --db class.db regrade --jobs 4
        grade --db class.db report
    """
    import os

    from grader.parallel import early_sandbox

    # First: the worker imports torch while this process opens the database and finds the work.
    ctx.with_resource(early_sandbox())
    from grader.instructor.regrade import pending_jobs, regrade

    store = _app(ctx).store()
    manifest = _manifest()
    workers = jobs or max(1, min(4, os.cpu_count() or 1))
    todo, done = pending_jobs(store, manifest, force)
    if not todo:
        what = f"all {done} gradings are up to date" if done else "no collected submissions"
        click.echo(f"Nothing to regrade: {what}." + ("" if done else " Collect bundles first: grade collect BUNDLE..."))
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("regrading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=Console(stderr=True), transient=False) as bar:
        task = bar.add_task("", total=len(todo))

        def progress(done_n, total, job, result, error) -> None:
            what = "error" if error else ("passed" if result.passed else f"{result.score:g}/{result.max_score:g}")
            bar.update(task, completed=done_n, description=f"{job.student} {job.exercise}: {what}")

        summary = regrade(store, manifest, workers=workers, force=force, progress=progress)
    click.echo(f"Regraded {summary.graded} of {summary.total} gradings"
               + (f" ({summary.already_done} were already up to date)" if summary.already_done else "") + ".")
    for line in summary.errors:
        click.echo(f"Error: could not grade {line}", err=True)
    if summary.interrupted:
        click.echo("Interrupted: what finished is stored. Run 'grade regrade' again to resume.", err=True)
        ctx.exit(130)
    ctx.exit(1 if summary.errors else 0)


@click.group("export")
def export_group() -> None:
    """Export the course for other platforms.

    \b
    Example:
        grade export gradescope autograder.zip
    """


@click.command("gradescope")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--hidden-visibility", type=click.Choice(["after_due_date", "after_published", "hidden", "visible"]),
              default="after_due_date", show_default=True,
              help="When students see each hidden test's details (their per-exercise scores are always visible).")
@click.option("--torch-version", metavar="VERSION",
              help="The CPU-only torch setup.sh installs (default: the version installed here).")
@click.pass_context
def gradescope_cmd(ctx: click.Context, out: Path, hidden_visibility: str, torch_version: str | None) -> None:
    """Write a Gradescope autograder zip (setup.sh and run_autograder at its root).

    Gradescope grades each submission in its own container with this grader, so a large class
    scales past one machine. Students upload their exercise files or their `grade submit` bundle.

    \b
    Example:
        grade export gradescope autograder.zip
    """
    from grader.instructor.gradescope import export_gradescope

    path = export_gradescope(out, hidden_visibility=hidden_visibility, torch_version=torch_version)
    click.echo(f"Wrote the Gradescope autograder: {path}")
    click.echo("Upload it under the assignment's Configure Autograder page (zip file upload).")


def register(cli: click.Group) -> None:
    for command in (report_cmd, submit_cmd, collect_cmd, regrade_cmd):
        cli.add_command(command)
    # `grade export` may also be defined by the quiz commands (export gift): share one group,
    # whichever module registers first.
    group = cli.commands.get("export")
    if not isinstance(group, click.Group):
        try:
            from grader.commands import quiz as quiz_commands

            group = getattr(quiz_commands, "export_group", None)
        except ImportError:
            group = None
        if not isinstance(group, click.Group):
            group = export_group
        cli.add_command(group, "export")
    group.add_command(gradescope_cmd)
