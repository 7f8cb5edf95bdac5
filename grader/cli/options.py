"""What the command modules share: the application context, options declared once, the
EXERCISE parameter type, and the consoles output goes to. Cheap to import (click only)."""

from __future__ import annotations

import click

from grader.errors import UnknownName


def app(ctx: click.Context):
    """The command's AppContext (workspace, database, student, sandbox), closed with the context."""
    from grader.app.context import AppContext

    obj = ctx.find_object(AppContext)
    if obj is None:
        obj = ctx.ensure_object(AppContext)
    root = ctx.find_root()
    if not getattr(root, "_grade_closes_app", False):
        root._grade_closes_app = True  # type: ignore[attr-defined]
        root.call_on_close(obj.close)
    return obj


def ctrl_c_stops() -> None:
    """Make Ctrl-C (SIGINT) raise KeyboardInterrupt even where the process inherited it ignored
    (a background job of a non-interactive shell, some CI runners): the interactive commands
    promise that Ctrl-C stops them and keeps what was done (exit 130)."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def console(stderr: bool = False):
    """A rich console that never reads markup from the data it prints (see grader.text)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def note(message: str) -> None:
    click.echo(message, err=True)


def json_option(help: str = "Print one JSON object on stdout and nothing else there."):
    return click.option("--json", "as_json", is_flag=True, help=help)


def seed_option(help: str):
    return click.option("--seed", type=click.IntRange(0, 2**31 - 2), help=help)


def jobs_option(help: str):
    return click.option("--jobs", "-j", "jobs", type=click.IntRange(1, 64), metavar="N", help=help)


DEFAULT_ROUTE = "grade.default_route"  # ctx.meta key: `grade NAME` was routed to the exercise command


class UsageError(click.ClickException):
    """A one-line `Error: ...` with the usage exit code (no usage banner)."""

    exit_code = 2


class ExerciseType(click.ParamType):
    """exerciseN, N, the slug or the stub's file name -> the manifest's Exercise. An unknown name is
    a usage error (exit 2) naming the closest exercises."""

    name = "exercise"

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value  # already an Exercise (e.g. from plain `grade`)
        from grader import course

        try:
            return course.load().find(value)
        except UnknownName as exc:
            if ctx is not None and ctx.meta.get(DEFAULT_ROUTE):
                # `grade NAME` with a NAME that is neither: it may be a mistyped command.
                from grader.text import closest

                root = ctx.find_root()
                commands = root.command.list_commands(root) if isinstance(root.command, click.Group) else []
                names = exc.suggestions + [c for c in closest(value, commands, n=2) if c not in exc.suggestions]
                hint = f" Did you mean: {', '.join(names)}?" if names else " See: grade list, grade --help"
                raise UsageError(f"No exercise or command named '{value}'.{hint}") from None
            hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
            self.fail(f"no exercise named '{value}'.{hint} See: grade list", param, ctx)


EXERCISE = ExerciseType()
