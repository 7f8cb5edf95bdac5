"""The `grade` command line. Each command parses its options and calls one library function.

Library errors (grader.errors) become `Error: ...` here, with the contract's exit codes.
Nothing at import time loads torch: only grading commands do, inside their functions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader import __version__
from grader.context import AppContext
from grader.errors import GraderError, UnknownName


class CliError(click.ClickException):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class GradeGroup(click.Group):
    """`grade NAME` grades an exercise when NAME is not a command; plain `grade` grades the next one."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            return "exercise", self.get_command(ctx, "exercise"), args
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except UnknownName as exc:
            if exc.kind.startswith("exercise"):
                from grader.names import closest

                visible = [c for c in self.list_commands(ctx) if not self.commands[c].hidden]
                from_cmds = closest(exc.name, visible, n=2)
                names = exc.suggestions + [c for c in from_cmds if c not in exc.suggestions]
                hint = f" Did you mean: {', '.join(names)}?" if names else " See: grade list"
                raise CliError(f"No exercise or command named '{exc.name}'.{hint}", 2) from None
            raise CliError(str(exc), exc.exit_code) from None
        except GraderError as exc:
            raise CliError(str(exc), exc.exit_code) from None
        finally:
            app = ctx.find_object(AppContext)
            if app is not None:
                app.close()

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("grade", "[--db PATH] [EXERCISE [--file PATH] [--json] | COMMAND ...]")


def app(ctx: click.Context) -> AppContext:
    return ctx.ensure_object(AppContext)


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def note(message: str) -> None:
    click.echo(message, err=True)


@click.group(cls=GradeGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", help="SQLite database (default: $GRADER_DB, else .grade/grader.db in the workspace).")
@click.version_option(__version__, prog_name="grade")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Exercises and quizzes on PyTorch autograd, graded in your terminal.

    Run `grade EXERCISE` to grade one exercise, or plain `grade` for the next one you
    have not passed yet.

    \b
    Example:
        grade init autograd-course && cd autograd-course
        grade list
        grade exercise1
    """
    ctx.obj = AppContext(db_option=db)
    if ctx.invoked_subcommand is None:
        from grader.student_loop import next_pending

        nxt = next_pending(ctx.obj)
        if nxt is None:
            console().print("[bold green]Every exercise is passed.[/] Try a quiz: grade quiz --list")
            return
        ctx.invoke(grade_exercise_cmd, exercise=nxt.name)


@cli.command("exercise", hidden=True)
@click.argument("exercise")
@click.option("--file", "file", type=click.Path(path_type=Path, dir_okay=False), help="Grade this file instead of the workspace's copy.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the contract's format) and nothing else on stdout.")
@click.option("--seed", type=click.IntRange(0, 2**31 - 2), help="Seed for the randomized tests (default: a fresh one, stored with the attempt).")
@click.pass_context
def grade_exercise_cmd(ctx: click.Context, exercise: str, file: Path | None, as_json: bool, seed: int | None) -> None:
    """Grade EXERCISE (exerciseN or its slug) and store the attempt.

    Exit 0 when every hidden test passed and every target was met, 1 when not yet.

    \b
    Example:
        grade exercise3
        grade requires-grad --file my_try.py --json
    """
    from grader.parallel import early_sandbox, trains_nothing

    # First: the worker imports torch while we import pytest (light: no optimizer warm-up needed).
    ctx.with_resource(early_sandbox(light=trains_nothing(exercise)))
    from grader import student_loop

    a = app(ctx)
    ex = student_loop.find_exercise(exercise)
    if file is None and a.find_workspace() is None:
        a.workspace()  # raises: explains how to make a workspace
    result, stored = student_loop.grade_exercise(a, ex, file=file, seed=seed)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        from grader.feedback import render

        nxt = student_loop.after(ex)
        render(result, console(), hints_left=student_loop.hints_left(a, ex) if not result.passed else 0,
               next_name=nxt.name if nxt else None)
    if not stored:
        note("Note: this attempt was not stored (no workspace database; pass --db PATH or set GRADER_DB).")
    if not result.complete:
        ctx.exit(130)
    ctx.exit(0 if result.passed else 1)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    """List every exercise in order with your status (pending, attempted, passed).

    \b
    Example:
        grade list
        grade list --json
    """
    from grader.student_loop import list_exercises

    rows = list_exercises(app(ctx))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    # click.style, not rich: the command students run most starts ~0.08 s sooner without rich.
    marks = {"passed": click.style("✓ passed   ", fg="green"), "attempted": click.style("… attempted", fg="yellow"),
             "pending": click.style("· pending  ", dim=True)}
    click.echo(click.style(f"Exercises for {app(ctx).student}", bold=True))
    for r in rows:
        optional = " " + click.style("(optional)", dim=True) if r["optional"] else ""
        name = click.style(f"{r['name']:<11}", bold=True)
        click.echo(f"{marks[r['status']]} {name} {r['title']}{optional}  {click.style(r['slug'], dim=True)}")
        click.echo(click.style(f"              teaches: {r['concept']}", dim=True))


def _exercise_arg(ctx: click.Context, name: str):
    from grader.student_loop import find_exercise

    return find_exercise(name)


@cli.command("show")
@click.argument("exercise")
@click.option("--json", "as_json", is_flag=True, help="Print the details as JSON.")
@click.pass_context
def show_cmd(ctx: click.Context, exercise: str, as_json: bool) -> None:
    """Show an exercise's task, targets, constraints and file.

    \b
    Example:
        grade show exercise2
    """
    from grader.student_loop import show

    info = show(app(ctx), _exercise_arg(ctx, exercise))
    if as_json:
        click.echo(json.dumps(info, indent=2))
        return
    out = console()
    out.print(f"[bold]{info['name']} · {info['title']}[/]  ({info['slug']}, {info['points']:g} points, {info['status']})")
    out.print(f"[dim]Teaches:[/] {info['concept']}  [dim]({info['seed_ref']})[/]")
    out.print(f"\n{info['task']}\n")
    for name, t in info["targets"].items():
        out.print(f"Target: {name} {t['op']} {t['value']:g}")
    for c in info["constraints"]:
        out.print(f"Constraint: {c}")
    out.print(f"Edit: {info['file']}")
    out.print(f"Time limit per test: {info['time_limit_s']:g} s. Hints used: {info['hints_used']}/{info['hints']}.")


@cli.command("hint")
@click.argument("exercise")
@click.pass_context
def hint_cmd(ctx: click.Context, exercise: str) -> None:
    """Reveal the next of up to three progressive hints (recorded in the database).

    \b
    Example:
        grade hint exercise1
    """
    from grader.student_loop import next_hint

    ex = _exercise_arg(ctx, exercise)
    reveal = next_hint(app(ctx), ex)
    out = console()
    if not reveal.total:
        out.print(f"{ex.name} has no hints. Read the task: grade show {ex.name}")
        return
    for i, text in enumerate(reveal.shown, 1):
        style = "bold" if i == reveal.number and not reveal.exhausted else "dim"
        out.print(f"[{style}]Hint {i}/{reveal.total}:[/] {text}")
    if reveal.exhausted:
        out.print("[yellow]That was the last hint.[/] Re-read the failure messages and diagnosis from grading.")


@cli.command("reset")
@click.argument("exercise")
@click.option("--yes", "-y", is_flag=True, help="Don't ask for confirmation.")
@click.pass_context
def reset_cmd(ctx: click.Context, exercise: str, yes: bool) -> None:
    """Restore an exercise's original stub; your version is backed up first.

    \b
    Example:
        grade reset exercise2
    """
    from grader.workspace import reset_exercise

    ex = _exercise_arg(ctx, exercise)
    ws = app(ctx).workspace()
    target = ws.student_file(ex)
    if not yes and not click.confirm(f"Replace {target} with the original stub? (your version is backed up)"):
        note("Nothing changed.")
        ctx.exit(1)
    backup = reset_exercise(ws, ex)
    if backup:
        click.echo(f"Restored {target}. Your previous version is in {backup}")
    else:
        click.echo(f"Restored {target}.")


@cli.command("solution")
@click.argument("exercise")
@click.pass_context
def solution_cmd(ctx: click.Context, exercise: str) -> None:
    """Show the reference solution of an exercise you have passed.

    \b
    Example:
        grade solution exercise1
    """
    from grader.student_loop import solution_text

    text = solution_text(app(ctx), _exercise_arg(ctx, exercise))
    if sys.stdout.isatty():
        from rich.syntax import Syntax

        console().print(Syntax(text, "python", line_numbers=True))
    else:
        click.echo(text, nl=False)


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init_cmd(directory: Path) -> None:
    """Make a fresh workspace in DIRECTORY with every exercise's stub.

    \b
    Example:
        grade init autograd-course
    """
    from grader.workspace import init_workspace

    ws, created = init_workspace(directory)
    click.echo(f"Created a workspace in {ws.root}" if created else f"{ws.root} is already a workspace; nothing changed.")
    click.echo(f"Next: cd {directory} && grade list && grade exercise1")


@cli.command("whoami")
@click.option("--set", "new_name", metavar="NAME", help="Store NAME as the student in this workspace.")
@click.pass_context
def whoami_cmd(ctx: click.Context, new_name: str | None) -> None:
    """Show (or set) the student name attempts are stored under.

    The name is GRADER_STUDENT, else the name set here, else your OS user name.

    \b
    Example:
        grade whoami --set ada
    """
    from grader.workspace import write_config

    a = app(ctx)
    if new_name is not None:
        if not new_name.strip():
            raise click.BadParameter("the name must not be empty", param_hint="--set")
        write_config(a.workspace(), student=new_name.strip())
    click.echo(a.student)


@cli.command("check")
@click.option("--seeds", default=3, show_default=True, type=click.IntRange(3, 1000), help="How many seeds per exercise.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.argument("exercises", nargs=-1)
@click.pass_context
def check_cmd(ctx: click.Context, seeds: int, as_json: bool, exercises: tuple[str, ...]) -> None:
    """Authoring self-check: every stub fails and every solution passes, under N seeds.

    \b
    Example:
        grade check
        grade check --seeds 20 exercise3
    """
    from grader.checker import run_check
    from grader.student_loop import manifest

    only = [_exercise_arg(ctx, e) for e in exercises] or None

    def progress(check) -> None:
        if not as_json:
            mark = "[green]ok[/]" if check.ok else "[red]FAIL[/]"
            console().print(f"{mark} {check.name}: stub failed {check.stub_failed}/{len(check.seeds)}, "
                            f"solution passed {check.solution_passed}/{len(check.seeds)} ({check.duration_s:.1f} s)")
            for p in check.problems:
                console().print(f"    [red]{p}[/]")

    results = run_check(manifest(), seeds, only, progress)
    ok = all(r.ok for r in results)
    if as_json:
        click.echo(json.dumps({"ok": ok, "seeds": seeds, "exercises": [r.to_json() for r in results]}))
    else:
        console().print("[bold green]All exercises check out.[/]" if ok else "[bold red]Some exercises fail the check.[/]")
    ctx.exit(0 if ok else 1)


def main() -> None:
    try:
        cli(prog_name="grade")
    except SystemExit as exc:
        if "torch" in sys.modules:
            _exit_now(exc.code)
        raise


def _exit_now(code) -> None:
    """Exit without the interpreter's teardown of torch (0.5 s and more). Commands have closed
    their database and sandbox by now; atexit handlers still run, buffered output is flushed."""
    import atexit
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # e.g. a closed pipe: nothing left to say
            pass
    os._exit(code)


def _register_command_modules() -> None:
    from grader.commands import register_all

    register_all(cli)


_register_command_modules()
