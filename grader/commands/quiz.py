"""`grade quiz`, `grade review`, `grade export gift|aiken` and `grade import gift|aiken`.

Each command parses its options and calls one function in grader.quiz.actions. Only click
is imported here at module level; nothing on these paths imports torch.

`export_group` is the `grade export` group: other modules add their formats to it
(`export_group.add_command(...)`), e.g. `grade export gradescope`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

ANSWER_HELP = ("An answer, repeated once per question in the order asked for that --seed: a letter for "
               "choices and predictions, T/F for true/false, free text for open questions, a rating "
               "1-4 (again/hard/good/easy) for flashcards.")


def _app(ctx: click.Context):
    from grader.context import AppContext

    return ctx.ensure_object(AppContext)


def _answer_problem(exc: Exception) -> click.BadParameter:
    return click.BadParameter(str(exc), param_hint="'--answer'")


@click.command("quiz")
@click.argument("name", required=False)
@click.option("--answer", "answers", multiple=True, metavar="A", help=ANSWER_HELP)
@click.option("--seed", type=click.IntRange(0, 2**31 - 2), help="Fix the order of questions and options (default: a fresh seed, shown and stored).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (score, and per question the answer, the key and the explanation) on stdout.")
@click.option("--list", "list_", is_flag=True, help="List the quizzes instead of taking one.")
@click.option("--plain", is_flag=True, help="Plain lettered text without colour or symbols (the default when input is piped; good with screen readers).")
@click.pass_context
def quiz_cmd(ctx: click.Context, name: str | None, answers: tuple[str, ...], seed: int | None,
             as_json: bool, list_: bool, plain: bool) -> None:
    """Take quiz NAME in the terminal; every answer is stored.

    Options are shuffled per attempt; --seed fixes the order. Type one answer per
    question: a letter, T/F, a self-rating 1-4 for flashcards, or a sentence for open
    questions. Input can be piped, or given with --answer. Ctrl-C stops and keeps the
    answers given so far as a partial attempt. A quiz scored below full marks still exits 0.

    \b
    Example:
        grade quiz --list
        grade quiz recap
        printf 'C\\nA\\n...' | grade quiz recap --seed 7
        grade quiz myths --seed 1 --answer F --answer F --answer F --answer F --json
    """
    from grader.quiz import actions
    from grader.quiz.actions import AnswerValuesProblem

    if list_:
        rows = actions.list_quizzes()
        if as_json:
            click.echo(json.dumps({"quizzes": rows}))
            return
        for r in rows:
            if "error" in r:
                click.echo(f"{r['name']:<12} (cannot be loaded: {r['error']})")
                continue
            kinds = ", ".join(f"{n} {k}" for k, n in r["kinds"].items())
            click.echo(f"{r['name']:<12} {r['title']}  [{kinds}]")
        click.echo("Take one with: grade quiz NAME")
        return
    if not name:
        raise click.UsageError("Name a quiz: grade quiz NAME (see: grade quiz --list).")
    try:
        result = actions.take_quiz(_app(ctx), name, seed=seed, answers=answers, plain=plain, as_json=as_json)
    except AnswerValuesProblem as exc:
        raise _answer_problem(exc) from None
    if as_json:
        click.echo(json.dumps(result.to_json()))
    if result.status == "interrupted":
        click.echo("Interrupted: " + ("the answers so far are stored as a partial attempt (marked incomplete)."
                                      if result.attempt_id is not None else "nothing was stored."), err=True)
        ctx.exit(130)
    if result.status == "input-ended":
        from grader.errors import UsageProblem

        raise UsageProblem(
            f"Input ended after {len(result.responses)} of {len(result.asked)} answers; give one line per "
            f"question (or use --answer)."
            + (" The answers given are stored as a partial attempt." if result.attempt_id is not None else ""))


@click.command("review")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500), help="At most this many cards in one session.")
@click.option("--answer", "answers", multiple=True, metavar="RATING", help="A self-rating per due card, in order: 1 again, 2 hard, 3 good, 4 easy (or the word).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the cards reviewed, how many are left, when the next is due.")
@click.option("--plain", is_flag=True, help="Plain text without colour (the default when input is piped).")
@click.pass_context
def review_cmd(ctx: click.Context, limit: int, answers: tuple[str, ...], as_json: bool, plain: bool) -> None:
    """Review the flashcards that are due, spaced by FSRS; every review is stored.

    New cards are due at once; after each card, rate how well you recalled it and the
    scheduler sets when you see it next (minutes for 'again', days or weeks for 'easy').

    \b
    Example:
        grade review
        grade review --limit 5
        grade review --answer good --answer 2 --json
    """
    from grader.quiz import actions
    from grader.quiz.actions import AnswerValuesProblem

    try:
        summary = actions.review(_app(ctx), limit=limit, answers=answers, plain=plain, as_json=as_json)
    except AnswerValuesProblem as exc:
        raise _answer_problem(exc) from None
    if as_json:
        click.echo(json.dumps(summary))
    if summary["status"] == "interrupted":
        click.echo("Interrupted: the cards rated so far are stored.", err=True)
        ctx.exit(130)
    if summary["status"] == "input-ended":
        click.echo(f"Input ended: {len(summary['reviewed'])} card(s) rated and stored.", err=True)


@click.group("export")
def export_group() -> None:
    """Write course content in another tool's format.

    \b
    Example:
        grade export gift recap recap.gift
        grade export aiken recap recap.txt
    """


@click.group("import")
def import_group() -> None:
    """Turn a quiz from another tool's format into a quiz file.

    \b
    Example:
        grade import gift moodle-export.gift quizzes/backprop.toml
    """


def _export(fmt: str):
    @click.command(fmt)
    @click.argument("quiz")
    @click.argument("out", metavar="OUT")
    @click.pass_context
    def export_cmd(ctx: click.Context, quiz: str, out: str) -> None:
        from grader.quiz.actions import export_quiz

        report = export_quiz(quiz, fmt, out)
        if out != "-":
            click.echo(f"Wrote {report.questions} question(s) of '{quiz}' to {out}.")
        if report.skipped:
            click.echo(f"Left out {len(report.skipped)} question(s) that {fmt} cannot hold "
                       f"(not single choice): {', '.join(report.skipped)}", err=True)
        if report.flattened:
            click.echo(f"Joined the lines of {len(report.flattened)} question(s) (Aiken is one line each): "
                       f"{', '.join(report.flattened)}", err=True)

    example = {"gift": ("Moodle GIFT", "recap recap.gift"), "aiken": ("Moodle Aiken (single choice only)", "recap recap.txt")}[fmt]
    export_cmd.help = (f"Write quiz QUIZ as {example[0]} to OUT ('-' for standard output).\n\n"
                       f"\b\nExample:\n    grade export {fmt} {example[1]}\n")
    return export_cmd


def _import(fmt: str):
    @click.command(fmt)
    @click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
    @click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--title", help="The quiz's title (default: from the file).")
    @click.option("--force", is_flag=True, help="Replace OUT if it exists.")
    def import_cmd(source, out, title: str | None, force: bool) -> None:
        from grader.quiz.actions import import_quiz

        info = import_quiz(fmt, source, out, title=title, force=force)
        kinds = ", ".join(f"{n} {k}" for k, n in info["kinds"].items())
        click.echo(f"Wrote {info['questions']} question(s) ({kinds}) to {info['path']}. "
                   f"Move it into quizzes/ to take it with: grade quiz {out.stem}")

    name = {"gift": "Moodle GIFT", "aiken": "Moodle Aiken"}[fmt]
    ext = {"gift": "gift", "aiken": "txt"}[fmt]
    import_cmd.help = (f"Read SOURCE ({name}) and write it as the quiz file OUT (.toml), validated.\n\n"
                       f"\b\nExample:\n    grade import {fmt} questions.{ext} quizzes/imported.toml\n")
    return import_cmd


for _fmt in ("gift", "aiken"):
    export_group.add_command(_export(_fmt))
    import_group.add_command(_import(_fmt))


def register(cli: click.Group) -> None:
    for command in (quiz_cmd, review_cmd, import_group):
        cli.add_command(command)
    # Another module may have registered its own `export` group first: join it, don't replace it.
    existing = cli.commands.get("export")
    if isinstance(existing, click.Group) and existing is not export_group:
        for name, command in export_group.commands.items():
            existing.add_command(command, name)
    else:
        cli.add_command(export_group)
