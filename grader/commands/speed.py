"""Fast feedback: `grade all` (every exercise, in parallel) and `grade watch` (re-grade on save).

Cheap to import (click only); both start the grading worker before anything else, so it
imports torch on one core while this process imports pytest and torch on the other.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click


def _app(ctx: click.Context):
    from grader.context import AppContext

    return ctx.ensure_object(AppContext)


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _early_sandbox(ctx: click.Context):
    from grader.parallel import early_sandbox

    return ctx.with_resource(early_sandbox())


# --- grade all --------------------------------------------------------------------------------------

@click.command("all")
@click.argument("exercises", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), metavar="N",
              help="Grading processes in parallel (default: one per CPU core).")
@click.option("--seed", type=click.IntRange(0, 2**31 - 2), help="One seed for every exercise (default: a fresh one each).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (every exercise's result) and nothing else on stdout.")
@click.pass_context
def all_cmd(ctx: click.Context, exercises: tuple[str, ...], jobs: int | None, seed: int | None, as_json: bool) -> None:
    """Grade every exercise (or only those named) in parallel, then show a summary table.

    Each exercise is graded in its own isolated worker, exactly as `grade EXERCISE` grades it,
    and stored. Exit 0 only if every exercise passes.

    \b
    Example:
        grade all
        grade all --jobs 1 exercise1 exercise2
        grade all --json
    """
    import os

    _early_sandbox(ctx)
    from grader import student_loop
    from grader.engine.runner import read_source
    from grader.errors import GraderError
    from grader.parallel import Job, grade_many, longest_first

    a = _app(ctx)
    ws = a.workspace()
    chosen = [student_loop.find_exercise(e) for e in exercises] or list(student_loop.manifest().exercises)
    chosen = list({ex.name: ex for ex in chosen}.values())  # named twice: graded once
    store = a.store()
    student = a.student
    workers = min(jobs or os.cpu_count() or 1, len(chosen))
    out = _console()
    if not as_json:
        out.print(f"Grading {len(chosen)} exercise(s) with {workers} process(es)…")

    sources: dict[str, str] = {}
    todo: list[Job] = []
    results: dict[str, object] = {}
    errors: dict[str, str] = {}
    for ex in chosen:
        path = ws.student_file(ex)
        try:
            sources[ex.name] = read_source(path)[0]
        except GraderError as exc:  # e.g. a deleted file: that exercise fails, the others run
            errors[ex.name] = str(exc)
            if not as_json:
                _progress_line(out, len(errors), len(chosen), ex.name, None, str(exc))
            continue
        todo.append(Job(ex.name, path, seed))
    longest_first(todo, store, chosen)

    def done(job: Job, result, error: str | None) -> None:
        if result is not None:
            store.record_attempt(student, result, source=sources[job.exercise], origin="local")
            results[job.exercise] = result
        else:
            errors[job.exercise] = error or "grading failed"
        if not as_json:
            _progress_line(out, len(results) + len(errors), len(chosen), job.exercise, result, error)

    started = time.monotonic()
    interrupted = False
    try:
        grade_many(todo, done, workers=workers)
    except KeyboardInterrupt:
        interrupted = True
    wall = time.monotonic() - started

    rows = [(ex, results.get(ex.name), errors.get(ex.name)) for ex in chosen]
    ok = not interrupted and all(r is not None and r.passed for _, r, _e in rows)
    if as_json:
        click.echo(json.dumps(_summary_json(rows, ok, wall, workers, interrupted)))
    else:
        _summary_table(out, rows, wall, workers, interrupted)
    ctx.exit(130 if interrupted else 0 if ok else 1)


def _progress_line(out, n: int, total: int, name: str, result, error: str | None) -> None:
    width = len(str(total))
    if result is None:
        out.print(f"[{n:>{width}}/{total}] [red]✗ {name}[/] error: {(error or '').splitlines()[0][:100]}")
        return
    mark = "[green]✓" if result.passed else "[red]✗"
    out.print(f"[{n:>{width}}/{total}] {mark} {name}[/] {result.score:g}/{result.max_score:g}  "
              f"[dim]{result.duration_s:.2f} s[/]")


def _summary_table(out, rows, wall: float, workers: int, interrupted: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="grade all", title_justify="left")
    for col, justify in (("Exercise", "left"), ("Title", "left"), ("Result", "left"),
                         ("Score", "right"), ("Time", "right")):
        table.add_column(col, justify=justify)
    passed = score = max_score = 0.0
    first_failing = None
    for ex, result, error in rows:
        if result is not None:
            verdict = Text("✓ passed", "green") if result.passed else Text(
                "✗ partial" if not result.complete else "✗ not yet", "red")
            table.add_row(ex.name, ex.title, verdict, f"{result.score:g}/{result.max_score:g}",
                          f"{result.duration_s:.2f} s")
            passed += result.passed
            score += result.score
            max_score += result.max_score
        else:
            what = Text("not run", "yellow") if error is None else Text("✗ error", "red")
            table.add_row(ex.name, ex.title, what, "", "")
        if (result is None or not result.passed) and first_failing is None:
            first_failing = ex
    out.print(table)
    for ex, result, error in rows:
        if error:
            out.print(f"[red]{ex.name}:[/] {error}")
    out.print(f"[bold]{passed:g}/{len(rows)} passed[/], score {score:g}/{max_score:g}, "
              f"{wall:.1f} s with {workers} process(es).")
    if interrupted:
        out.print("[yellow]Interrupted: the exercises marked 'not run' were not graded.[/]")
    elif first_failing is not None:
        out.print(f"Next: grade {first_failing.name}   (or: grade watch {first_failing.name})")


def _summary_json(rows, ok: bool, wall: float, workers: int, interrupted: bool) -> dict:
    items = []
    for ex, result, error in rows:
        if result is not None:
            items.append(result.to_json())
        else:
            items.append({"exercise": ex.name, "slug": ex.slug, "passed": False, "score": 0.0,
                          "max_score": ex.points, "error": error or "not graded (interrupted)"})
    return {
        "passed": ok,
        "score": round(sum(i["score"] for i in items), 6),
        "max_score": round(sum(i["max_score"] for i in items), 6),
        "duration_s": round(wall, 3),
        "jobs": workers,
        "complete": not interrupted,
        "exercises": items,
    }


# --- grade watch ------------------------------------------------------------------------------------

@click.command("watch")
@click.argument("exercise", required=False)
@click.option("--poll", is_flag=True,
              help="Don't rely on file events: check modification times instead (network drives, "
                   "WSL on a Windows drive, some containers).")
@click.option("--interval", type=click.FloatRange(0.02, 60), metavar="SECONDS",
              help="How often to check the files (default: 0.1 with --poll, else 1 as a backstop to file events).")
@click.pass_context
def watch_cmd(ctx: click.Context, exercise: str | None, poll: bool, interval: float | None) -> None:
    """Re-grade the exercise you are editing every time you save it.

    The grading worker stays warm between runs, so feedback arrives a moment after you
    save. Names EXERCISE to grade it right away; any exercise file saved is graded. A save
    while a run is still going (say your code hangs) cancels it and grades the new version.
    Press Enter to re-run, q then Enter (or Ctrl-C) to stop.

    \b
    Example:
        grade watch exercise3
        grade watch --poll
    """
    box = _early_sandbox(ctx)
    box.expect_many_sessions()  # one per save, for as long as the student works
    from grader import student_loop
    from grader.engine.runner import read_source
    from grader.errors import GraderError
    from grader.feedback import render
    from grader.parallel import prepare_trusted
    from grader.watch import Watcher

    a = _app(ctx)
    ws = a.workspace()
    first = student_loop.find_exercise(exercise).name if exercise else None
    files = {ws.student_file(ex): ex.name for ex in student_loop.manifest().exercises}
    out = _console()

    def grade(name: str) -> bool:
        ex = student_loop.find_exercise(name)
        if out.is_terminal:
            out.clear()
        started = time.monotonic()
        try:
            source, _ = read_source(ws.student_file(ex))
            result, _stored = student_loop.grade_exercise(a, ex, sandbox=box, store=False)
            if result.complete or not watcher._cancel:  # a run cancelled by a newer save is not an attempt
                a.store().record_attempt(a.student, result, source=source, origin="local")
        except GraderError as exc:  # e.g. the file is missing mid-save: say so, keep watching
            out.print(f"[red]Error:[/] {exc}")
            click.echo(f"✗ {name} error · watching: save to re-grade, Enter to re-run, q to quit")
            return True
        except Exception as exc:  # a grader bug must not end the session either
            out.print(f"[red]The grader failed on {name}:[/] {type(exc).__name__}: {exc}")
            return True
        if result.complete or not watcher._cancel:
            nxt = student_loop.after(ex)
            render(result, out, hints_left=student_loop.hints_left(a, ex) if not result.passed else 0,
                   next_name=nxt.name if nxt else None)
            verdict = "passed" if result.passed else "not yet"
            click.echo(f"{'✓' if result.passed else '✗'} {name} {verdict} · {result.score:g}/{result.max_score:g} · "
                       f"{time.monotonic() - started:.2f} s · watching: save to re-grade, Enter to re-run, q to quit")
        return result.complete

    watcher = Watcher(grade=grade, files=files, first=first, use_events=not poll, poll_s=interval)
    original = box.zygote
    if original is not None:
        box.zygote = watcher.guard(original)
    def ready() -> None:
        prepare_trusted()  # the first grading then waits only for the worker, not for imports
        where = ws.exercises.relative_to(Path.cwd()) if ws.exercises.is_relative_to(Path.cwd()) else ws.exercises
        mode = "polling" if poll else "file events"
        click.echo(f"Watching {len(files)} exercise files in {where} ({mode}). "
                   f"{'Save a file to grade it. ' if first is None else ''}Enter re-runs, q quits.")

    try:
        watcher.run(ready)
    except KeyboardInterrupt:
        click.echo("\nStopped watching.")
    finally:
        box.zygote = original


def register(cli: click.Group) -> None:
    for command in (all_cmd, watch_cmd):
        cli.add_command(command)
