"""Course content: `grade check` (the authoring self-check), `grade export gift|aiken|gradescope`
and `grade import gift|aiken`. Each parses, calls one application function and reports."""

from __future__ import annotations

import json
from pathlib import Path

import click

from grader.cli.options import EXERCISE, app, console, json_option
from grader.errors import EXIT_NOT_YET, EXIT_OK


@click.command("check")
@click.option("--seeds", default=3, show_default=True, type=click.IntRange(3, 1000), help="How many seeds per exercise.")
@json_option("Print one JSON object.")
@click.argument("exercises", nargs=-1, type=EXERCISE)
@click.pass_context
def check_cmd(ctx: click.Context, seeds: int, as_json: bool, exercises: tuple) -> None:
    """Authoring self-check: stubs fail, solutions pass.

    Every stub must fail at least one hidden test and score 0, and every reference solution
    must pass every hidden test, under each of N seeds. Exit 0 only if all hold.

    \b
    Example:
        grade check
        grade check --seeds 20 exercise3
    """
    from grader.app.content import check
    from grader.text import safe_markup

    out = console()

    def progress(result) -> None:
        if not as_json:
            mark = "[green]ok[/]" if result.ok else "[red]FAIL[/]"
            out.print(f"{mark} {result.name}: stub failed {result.stub_failed}/{len(result.seeds)}, "
                      f"solution passed {result.solution_passed}/{len(result.seeds)} ({result.duration_s:.1f} s)")
            for p in result.problems:
                out.print(f"    [red]{safe_markup(p)}[/]")

    results = check(app(ctx), seeds, list(exercises) or None, progress)
    ok = all(r.ok for r in results)
    if as_json:
        click.echo(json.dumps({"ok": ok, "seeds": seeds, "exercises": [r.to_json() for r in results]}))
    else:
        out.print("[bold green]All exercises check out.[/]" if ok else "[bold red]Some exercises fail the check.[/]")
    ctx.exit(EXIT_OK if ok else EXIT_NOT_YET)


@click.group("export")
def export_group() -> None:
    """Write course content in another tool's format.

    \b
    Example:
        grade export gift recap recap.gift
        grade export aiken recap recap.txt
        grade export gradescope autograder.zip
    """


@click.group("import")
def import_group() -> None:
    """Turn a GIFT or Aiken quiz into a quiz file.

    \b
    Example:
        grade import gift moodle-export.gift quizzes/backprop.toml
    """


QUIZ_FORMATS = {"gift": ("Moodle GIFT", "gift"), "aiken": ("Moodle Aiken (single choice only)", "txt")}


def _quiz_export(fmt: str) -> click.Command:
    title, ext = QUIZ_FORMATS[fmt]

    @click.command(fmt, help=f"Write quiz QUIZ as {title} to OUT ('-' for standard output).\n\n"
                             f"\b\nExample:\n    grade export {fmt} recap recap.{ext}\n")
    @click.argument("quiz")
    @click.argument("out", metavar="OUT")
    def export_cmd(quiz: str, out: str) -> None:
        from grader.app.quiz import export_quiz

        report = export_quiz(quiz, fmt, out)
        if out != "-":
            click.echo(f"Wrote {report.questions} question(s) of '{quiz}' to {out}.")
        if report.skipped:
            click.echo(f"Left out {len(report.skipped)} question(s) that {fmt} cannot hold "
                       f"(not single choice): {', '.join(report.skipped)}", err=True)
        if report.flattened:
            click.echo(f"Joined the lines of {len(report.flattened)} question(s) (Aiken is one line each): "
                       f"{', '.join(report.flattened)}", err=True)

    return export_cmd


def _quiz_import(fmt: str) -> click.Command:
    title, ext = QUIZ_FORMATS[fmt]

    @click.command(fmt, help=f"Read SOURCE ({title}) and write it as the quiz file OUT (.toml), validated.\n\n"
                             f"\b\nExample:\n    grade import {fmt} questions.{ext} quizzes/imported.toml\n")
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--title", help="The quiz's title (default: from the file).")
    @click.option("--overwrite", is_flag=True, help="Replace OUT if it exists.")
    def import_cmd(source: Path, out: Path, title: str | None, overwrite: bool) -> None:
        from grader.app.quiz import import_quiz

        info = import_quiz(fmt, source, out, title=title, force=overwrite)
        kinds = ", ".join(f"{n} {k}" for k, n in info["kinds"].items())
        click.echo(f"Wrote {info['questions']} question(s) ({kinds}) to {info['path']}. "
                   f"Move it into quizzes/ to take it with: grade quiz {out.stem}")

    return import_cmd


@click.command("gradescope")
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--hidden-visibility", type=click.Choice(["after_due_date", "after_published", "hidden", "visible"]),
              default="after_due_date", show_default=True,
              help="When students see each hidden test's details (their per-exercise scores are always visible).")
@click.option("--torch-version", metavar="VERSION",
              help="The CPU-only torch setup.sh installs (default: the version installed here).")
def gradescope_cmd(out: Path, hidden_visibility: str, torch_version: str | None) -> None:
    """Write a Gradescope autograder zip (setup.sh and run_autograder at its root).

    Gradescope grades each submission in its own container with this grader, so a large class
    scales past one machine. Students upload their exercise files or their `grade submit` bundle.

    \b
    Example:
        grade export gradescope autograder.zip
    """
    from grader.app.content import export_gradescope

    path = export_gradescope(out, hidden_visibility=hidden_visibility, torch_version=torch_version)
    click.echo(f"Wrote the Gradescope autograder: {path}")
    click.echo("Upload it under the assignment's Configure Autograder page (zip file upload).")


for _fmt in QUIZ_FORMATS:
    export_group.add_command(_quiz_export(_fmt))
    import_group.add_command(_quiz_import(_fmt))
export_group.add_command(gradescope_cmd)
