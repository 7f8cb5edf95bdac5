"""The `grade` command line: parse, call one application function (grader.app), render, exit.

One module per command group; only the invoked command's module is imported (click's lazy
loading pattern), so `grade list` never pays for what `grade regrade` needs. Library errors
(grader.errors) carry their exit code; they become one `Error: ...` line here.

    grader/cli/student.py     the student loop: EXERCISE, list, show, hint, reset, solution, init,
                              whoami, all, watch, submit
    grader/cli/quiz.py        quiz, review, rubric
    grader/cli/instructor.py  report, collect, regrade, answers
    grader/cli/content.py     check, export (gift, aiken, gradescope), import
    grader/cli/options.py     shared options and parameter types
    grader/cli/feedback.py    how a graded attempt is shown
"""

from __future__ import annotations

import importlib
import sys

import click

from grader import __version__
from grader.errors import GraderError

# name -> "module:attribute", in the order `grade --help` lists them.
COMMANDS: dict[str, str] = {
    "exercise": "grader.cli.student:exercise_cmd",
    "list": "grader.cli.student:list_cmd",
    "show": "grader.cli.student:show_cmd",
    "hint": "grader.cli.student:hint_cmd",
    "reset": "grader.cli.student:reset_cmd",
    "solution": "grader.cli.student:solution_cmd",
    "all": "grader.cli.student:all_cmd",
    "watch": "grader.cli.student:watch_cmd",
    "init": "grader.cli.student:init_cmd",
    "whoami": "grader.cli.student:whoami_cmd",
    "submit": "grader.cli.student:submit_cmd",
    "quiz": "grader.cli.quiz:quiz_cmd",
    "review": "grader.cli.quiz:review_cmd",
    "rubric": "grader.cli.quiz:rubric_cmd",
    "report": "grader.cli.instructor:report_cmd",
    "collect": "grader.cli.instructor:collect_cmd",
    "regrade": "grader.cli.instructor:regrade_cmd",
    "answers": "grader.cli.instructor:answers_cmd",
    "check": "grader.cli.content:check_cmd",
    "export": "grader.cli.content:export_group",
    "import": "grader.cli.content:import_group",
}


class CliError(click.ClickException):
    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


class GradeGroup(click.Group):
    """Loads each command's module when that command is used; `grade NAME` grades exercise NAME
    when NAME is not a command, and plain `grade` grades the next exercise not yet passed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            from grader.cli.options import DEFAULT_ROUTE

            ctx.meta[DEFAULT_ROUTE] = True
            return "exercise", self.get_command(ctx, "exercise"), args
        return super().resolve_command(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return ["[OPTIONS]", "[EXERCISE | COMMAND [ARGS]...]"]

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GraderError as exc:
            raise CliError(str(exc), exc.exit_code) from None


def _settings_epilog() -> str:
    from grader.settings import SETTINGS

    names = ", ".join(SETTINGS)
    return f"Environment: {names} (see docs/INSTRUCTORS.md#settings)."


@click.group(cls=GradeGroup, invoke_without_command=True, epilog=_settings_epilog(),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", envvar="GRADER_DB", show_envvar=True,
              help="The SQLite database (default: .grade/grader.db in the workspace).")
@click.version_option(__version__, prog_name="grade")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Exercises and quizzes on PyTorch autograd, graded in your terminal.

    Run `grade EXERCISE` to grade one exercise (exercise3, or its slug), or plain `grade`
    for the next one you have not passed yet.

    \b
    Example:
        grade init autograd-course && cd autograd-course
        grade list
        grade exercise1
    """
    from grader.cli.options import app

    app(ctx).db_option = db
    if ctx.invoked_subcommand is None:
        from grader.app import student

        nxt = student.next_pending(app(ctx))
        if nxt is None:
            click.echo("Every exercise is passed. Try a quiz: grade quiz --list")
            return
        ctx.invoke(cli.get_command(ctx, "exercise"), exercise=nxt)


def main() -> None:
    try:
        cli(prog_name="grade")
    except SystemExit as exc:
        if "torch" in sys.modules:
            from grader.startup import exit_now

            exit_now(exc.code)
        raise
