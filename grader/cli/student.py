"""The student's commands: grade EXERCISE, list, show, hint, reset, solution, all, watch, init,
whoami, submit. Each parses, calls one function in grader.app.student, renders, exits."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader.cli.options import EXERCISE, app, console, ctrl_c_stops, jobs_option, json_option, note, seed_option
from grader.errors import EXIT_INTERRUPTED, EXIT_NOT_YET, EXIT_OK
from grader.text import plain, safe_markup

NOT_IN_WORKSPACE = ("Note: not in a workspace, so nothing is known about your progress. "
                    "Make one with 'grade init DIR' and cd into it.")


@click.command("exercise", short_help="Grade EXERCISE (short form: grade exercise3).")
@click.argument("exercise", type=EXERCISE)
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False),
              help="Grade this file instead of the workspace's copy.")
@json_option("Print one JSON object (the contract's format) and nothing else on stdout.")
@seed_option("Seed for the randomized tests (default: a fresh one, stored with the attempt).")
@click.pass_context
def exercise_cmd(ctx: click.Context, exercise, file: Path | None, as_json: bool, seed: int | None) -> None:
    """Grade EXERCISE: `grade exercise3` (or its slug) is the short form.

    Exit 0 when every hidden test passed and every target was met, 1 when not yet.

    \b
    Example:
        grade exercise3
        grade requires-grad --file my_try.py --json
    """
    from grader.app import student
    from grader.engine.warm import trains_nothing

    a = app(ctx)
    a.sandbox(light=trains_nothing(exercise.name))  # first: the worker imports torch meanwhile
    result, stored = student.grade_one(a, exercise, file=file, seed=seed)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        from grader.cli.feedback import render

        nxt = student.after(exercise)
        render(result, console(), hints_left=student.hints_left(a, exercise) if not result.passed else 0,
               next_name=nxt.name if nxt else None)
    if not stored:
        note("Note: this attempt was not stored (no workspace database; pass --db PATH or set GRADER_DB).")
    ctx.exit(EXIT_INTERRUPTED if not result.complete else EXIT_OK if result.passed else EXIT_NOT_YET)


@click.command("list")
@json_option("Print a JSON array instead of a table.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """Every exercise in order, with your status.

    \b
    Example:
        grade list
        grade list --json
    """
    from grader.app.student import list_exercises

    a = app(ctx)
    listing = list_exercises(a)
    if listing.workspace is None and not a.has_db():
        note(NOT_IN_WORKSPACE)
    if as_json:
        click.echo(json.dumps(listing.rows, indent=2))
        return
    # click.style, not rich: the command students run most starts sooner without rich.
    marks = {"passed": click.style("✓ passed   ", fg="green"), "attempted": click.style("… attempted", fg="yellow"),
             "pending": click.style("· pending  ", dim=True), "unknown": click.style("· unknown  ", dim=True)}
    click.echo(click.style(f"Exercises for {plain(a.student)}", bold=True))
    for r in listing.rows:
        optional = " " + click.style("(optional)", dim=True) if r["optional"] else ""
        name = click.style(f"{r['name']:<11}", bold=True)
        click.echo(f"{marks[r['status']]} {name} {r['title']}{optional}  {click.style(r['slug'], dim=True)}")
        click.echo(click.style(f"              teaches: {r['concept']}", dim=True))


@click.command("show")
@click.argument("exercise", type=EXERCISE)
@json_option("Print the details as JSON.")
@click.pass_context
def show_cmd(ctx: click.Context, exercise, as_json: bool) -> None:
    """An exercise's task, targets, constraints and file.

    \b
    Example:
        grade show exercise2
    """
    from grader.app.student import show

    info = show(app(ctx), exercise)
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    out = console()
    status = "" if info["status"] == "unknown" else f", {info['status']}"
    out.print(f"[bold]{info['name']} · {safe_markup(info['title'])}[/]  ({info['slug']}, {info['points']:g} points{status})")
    out.print(f"[dim]Teaches:[/] {safe_markup(info['concept'])}")
    out.print(f"[dim]From the lesson:[/] {safe_markup(info['lesson'])}")
    out.print(f"\n{safe_markup(info['task'])}\n")
    for name, t in info["targets"].items():
        out.print(f"Target: {name} {t['op']} {t['value']:g}")
    for c in info["constraints"]:
        out.print(f"Constraint: {safe_markup(c)}")
    if info["in_workspace"]:
        out.print(f"Edit: {safe_markup(info['file'])}")
    else:
        out.print(f"Edit: exercises/{safe_markup(info['stub'])} in your workspace")
        note(NOT_IN_WORKSPACE)
    out.print(f"Time limit per test: {info['time_limit_s']:g} s. Hints used: {info['hints_used']}/{info['hints']}.")


@click.command("hint")
@click.argument("exercise", type=EXERCISE)
@click.pass_context
def hint_cmd(ctx: click.Context, exercise) -> None:
    """The next of up to three hints (recorded).

    \b
    Example:
        grade hint exercise1
    """
    from grader.app.student import next_hint

    reveal = next_hint(app(ctx), exercise)
    out = console()
    if not reveal.total:
        out.print(f"{exercise.name} has no hints. Read the task: grade show {exercise.name}")
        return
    for i, text in enumerate(reveal.shown, 1):
        style = "bold" if i == reveal.number and not reveal.exhausted else "dim"
        out.print(f"[{style}]Hint {i}/{reveal.total}:[/] {safe_markup(text)}")
    if reveal.exhausted:
        out.print("[yellow]That was the last hint.[/] Re-read the failure messages and diagnosis from grading.")


@click.command("reset")
@click.argument("exercise", type=EXERCISE)
@click.option("--yes", "-y", is_flag=True, help="Don't ask for confirmation.")
@click.pass_context
def reset_cmd(ctx: click.Context, exercise, yes: bool) -> None:
    """Restore an exercise's stub (yours is backed up first).

    \b
    Example:
        grade reset exercise2
    """
    from grader.app import student

    target = app(ctx).workspace().student_file(exercise)
    if not yes and not click.confirm(f"Replace {target} with the original stub? (your version is backed up)"):
        note("Nothing changed.")
        return
    target, backup = student.reset(app(ctx), exercise)
    click.echo(f"Restored {target}." + (f" Your previous version is in {backup}" if backup else ""))


@click.command("solution")
@click.argument("exercise", type=EXERCISE)
@click.pass_context
def solution_cmd(ctx: click.Context, exercise) -> None:
    """The reference solution, once you have passed.

    \b
    Example:
        grade solution exercise1
    """
    from grader.app.student import solution_text

    text = solution_text(app(ctx), exercise)
    if sys.stdout.isatty():
        from rich.syntax import Syntax

        console().print(Syntax(text, "python", line_numbers=True))
    else:
        click.echo(text, nl=False)


@click.command("all")
@click.argument("exercises", nargs=-1, type=EXERCISE)
@jobs_option("Grading processes in parallel (default: one per CPU core).")
@seed_option("One seed for every exercise (default: a fresh one each).")
@json_option("Print one JSON object (every exercise's result) and nothing else on stdout.")
@click.pass_context
def all_cmd(ctx: click.Context, exercises: tuple, jobs: int | None, seed: int | None, as_json: bool) -> None:
    """Grade every exercise (or those named) in parallel.

    Each exercise is graded in its own isolated worker, exactly as `grade EXERCISE` grades it,
    and stored. Exit 0 only if every exercise passes.

    \b
    Example:
        grade all
        grade all --jobs 1 exercise1 exercise2
        grade all --json
    """
    from grader.app import student
    from grader.cli.tables import all_progress_line, all_summary

    a = app(ctx)
    a.sandbox()  # first: the worker imports torch while this process prepares
    out = console()
    chosen = list(exercises) or list(student.manifest().exercises)
    if not as_json:
        out.print(f"Grading {len(chosen)} exercise(s)…")

    def progress(n, total, name, result, error) -> None:
        if not as_json:
            all_progress_line(out, n, total, name, result, error)

    outcome = student.grade_all(a, chosen, jobs=jobs, seed=seed, progress=progress)
    if as_json:
        click.echo(json.dumps(outcome.to_json()))
    else:
        all_summary(out, outcome)
    ctx.exit(EXIT_INTERRUPTED if outcome.interrupted else EXIT_OK if outcome.passed else EXIT_NOT_YET)


@click.command("watch")
@click.argument("exercise", type=EXERCISE, required=False)
@click.option("--poll", is_flag=True,
              help="Don't rely on file events: check modification times instead (network drives, "
                   "WSL on a Windows drive, some containers).")
@click.option("--interval", type=click.FloatRange(0.02, 60), metavar="SECONDS",
              help="How often to check the files (default: 0.1 with --poll, else 1 as a backstop to file events).")
@click.pass_context
def watch_cmd(ctx: click.Context, exercise, poll: bool, interval: float | None) -> None:
    """Re-grade an exercise every time you save it.

    The grading worker stays warm between runs, so feedback arrives a moment after you
    save. Names EXERCISE to grade it right away; any exercise file saved is graded. A save
    while a run is still going (say your code hangs) cancels it and grades the new version.
    Press Enter to re-run, q to stop (or Ctrl-C).

    \b
    Example:
        grade watch exercise3
        grade watch --poll
    """
    ctrl_c_stops()
    from grader.app import student
    from grader.cli.feedback import render

    a = app(ctx)
    a.sandbox()
    out = console()
    footer = "watching: save to re-grade, Enter to re-run, q to quit"

    def ready(folder: Path, files: int, mode: str, first: str | None) -> None:
        cwd = Path.cwd()
        where = folder.relative_to(cwd) if folder.is_relative_to(cwd) else folder
        click.echo(f"Watching {files} exercise files in {where} ({mode}). "
                   f"{'Save a file to grade it. ' if first is None else ''}Enter re-runs, q quits.")

    def starting(ex) -> None:
        if out.is_terminal:
            out.clear()

    def graded(ex, result, seconds: float) -> None:
        render(result, out, hints_left=student.hints_left(a, ex) if not result.passed else 0,
               watching=True)
        verdict = "passed" if result.passed else "not yet"
        click.echo(f"{'✓' if result.passed else '✗'} {ex.name} {verdict} · {result.score:g}/{result.max_score:g} · "
                   f"{seconds:.2f} s · {footer}")

    def failed(name: str, message: str) -> None:
        out.print(f"[red]Error:[/] {safe_markup(message)}")
        click.echo(f"✗ {name} error · {footer}")

    try:
        student.watch(a, exercise, poll=poll, interval=interval,
                      events=student.WatchEvents(ready=ready, starting=starting, graded=graded, failed=failed))
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init_cmd(directory: Path) -> None:
    """Make a fresh workspace in DIRECTORY with every stub.

    \b
    Example:
        grade init autograd-course
    """
    from grader.app.student import init

    ws, created = init(directory)
    click.echo(f"Created a workspace in {ws.root}" if created else f"{ws.root} is already a workspace; nothing changed.")
    click.echo(f"Next: cd {directory} && grade list && grade exercise1")


@click.command("whoami")
@click.option("--set", "new_name", metavar="NAME", help="Store NAME as the student in this workspace.")
@click.option("--email", metavar="EMAIL", help="Your email address, as your course's LMS knows it.")
@click.option("--id", "student_id", metavar="STUDENT_ID", help="Your student id, if your course uses one.")
@json_option("Print name, email and student_id as JSON.")
@click.pass_context
def whoami_cmd(ctx: click.Context, new_name: str | None, email: str | None, student_id: str | None,
               as_json: bool) -> None:
    """Show (or set) who your attempts are stored under.

    The name is GRADER_STUDENT, else the name set here, else your OS user name. Bundles
    from `grade submit` carry the name, email and student id.

    \b
    Example:
        grade whoami --set ada --email ada@example.org
    """
    from grader.app.student import whoami

    who = whoami(app(ctx), name=new_name, email=email, student_id=student_id)
    if as_json:
        click.echo(json.dumps(who.to_json()))
        return
    click.echo(plain(who.name))
    if who.email:
        click.echo(f"email: {plain(who.email)}")
    if who.student_id:
        click.echo(f"student id: {plain(who.student_id)}")


@click.command("submit")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="Where to write the bundle (default: submission-<you>.zip in the workspace).")
@click.pass_context
def submit_cmd(ctx: click.Context, out: Path | None) -> None:
    """Write one bundle to hand in: your files and progress.

    Your instructor collects it and regrades the code; the scores that count are theirs.

    \b
    Example:
        grade submit
        grade submit --out ~/Desktop/autograd-ada.zip
    """
    from grader.app.student import submit

    path = submit(app(ctx), out)
    click.echo(f"Wrote your submission bundle: {path}")
    click.echo("Hand in this file as your instructor asked (e.g. upload it to the course page).")
