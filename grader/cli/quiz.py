"""`grade quiz`, `grade review` and `grade rubric`: each parses its options, calls one function
in grader.app.quiz and exits. Nothing on these paths imports torch."""

from __future__ import annotations

import json

import click

from grader.cli.options import app, ctrl_c_stops, json_option, seed_option
from grader.errors import EXIT_INTERRUPTED

ANSWER_HELP = ("An answer, repeated once per question in the order asked for that --seed: a letter for "
               "choices and predictions, T/F for true/false, free text for open questions, a rating "
               "1-4 (again/hard/good/easy) for flashcards.")


def _answer_problem(exc: Exception) -> click.BadParameter:
    return click.BadParameter(str(exc), param_hint="'--answer'")


@click.command("quiz")
@click.argument("name", required=False)
@click.option("--answer", "answers", multiple=True, metavar="A", help=ANSWER_HELP)
@seed_option("Fix the order of questions and options (default: a fresh seed, shown and stored).")
@json_option("Print one JSON object (score, and per question the answer, the key and the explanation) on stdout.")
@click.option("--list", "list_", is_flag=True, help="List the quizzes instead of taking one.")
@click.option("--plain", is_flag=True, help="Plain lettered text without colour or symbols (the default when input is piped; good with screen readers).")
@click.pass_context
def quiz_cmd(ctx: click.Context, name: str | None, answers: tuple[str, ...], seed: int | None,
             as_json: bool, list_: bool, plain: bool) -> None:
    """Take quiz NAME in the terminal (answers are stored).

    Options are shuffled per attempt; --seed fixes the order. Type one answer per
    question: a letter, T/F, a self-rating 1-4 for flashcards, or a sentence for open
    questions. Input can be piped, or given with --answer. Ctrl-C (or Ctrl-D at the prompt)
    stops and keeps the answers given so far as a partial attempt. A quiz scored below full
    marks still exits 0.

    \b
    Example:
        grade quiz --list
        grade quiz recap
        grade quiz myths --json --answer T --answer T --answer F --answer F
    """
    ctrl_c_stops()
    from grader.app import quiz
    from grader.text import plain as clean

    if list_:
        rows = quiz.list_quizzes()
        if as_json:
            click.echo(json.dumps({"quizzes": rows}))
            return
        for r in rows:
            if "error" in r:
                click.echo(f"{r['name']:<12} (cannot be loaded: {clean(r['error'])})")
                continue
            kinds = ", ".join(f"{n} {k}" for k, n in r["kinds"].items())
            click.echo(f"{r['name']:<12} {clean(r['title'])}  [{kinds}]")
        click.echo("Take one with: grade quiz NAME")
        return
    if not name:
        raise click.UsageError("Name a quiz: grade quiz NAME (see: grade quiz --list).")
    try:
        result = quiz.take_quiz(app(ctx), name, seed=seed, answers=answers, plain=plain, as_json=as_json)
    except quiz.AnswerValuesProblem as exc:
        raise _answer_problem(exc) from None
    if as_json:
        click.echo(json.dumps(result.to_json()))
    if result.status == "interrupted":
        if as_json:  # otherwise the summary on the screen has said it
            click.echo("Interrupted: " + ("the answers so far are stored as a partial attempt (marked incomplete)."
                                          if result.attempt_id is not None else "nothing was stored."), err=True)
        ctx.exit(EXIT_INTERRUPTED)
    if result.status == "input-ended":
        from grader.errors import UsageProblem

        raise UsageProblem(
            f"Input ended after {len(result.responses)} of {len(result.asked)} answers; give one line per "
            f"question (or use --answer)."
            + (" The answers given are stored as a partial attempt." if result.attempt_id is not None else ""))


@click.command("review")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 500), help="At most this many cards in one session.")
@click.option("--answer", "answers", multiple=True, metavar="RATING", help="A self-rating per due card, in order: 1 again, 2 hard, 3 good, 4 easy (or the word).")
@json_option("Print one JSON object: the cards reviewed, how many are left, when the next is due.")
@click.option("--plain", is_flag=True, help="Plain text without colour (the default when input is piped).")
@click.pass_context
def review_cmd(ctx: click.Context, limit: int, answers: tuple[str, ...], as_json: bool, plain: bool) -> None:
    """Review the flashcards that are due (spaced by FSRS).

    New cards are due at once; after each card, rate how well you recalled it and the
    scheduler sets when you see it next (minutes for 'again', days or weeks for 'easy').

    \b
    Example:
        grade review
        grade review --limit 5
        grade review --answer good --answer 2 --json
    """
    ctrl_c_stops()
    from grader.app import quiz

    try:
        summary = quiz.review(app(ctx), limit=limit, answers=answers, plain=plain, as_json=as_json)
    except quiz.AnswerValuesProblem as exc:
        raise _answer_problem(exc) from None
    if as_json:
        click.echo(json.dumps(summary))
    if summary["status"] == "interrupted":
        click.echo("Interrupted: the cards rated so far are stored.", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    if summary["status"] == "input-ended":
        click.echo(f"Input ended: {len(summary['reviewed'])} card(s) rated and stored.", err=True)


@click.command("rubric")
@click.argument("quiz_name", metavar="QUIZ")
@click.argument("item", metavar="ITEM")
@click.option("--answer", "answers", multiple=True, required=True, metavar="TEXT",
              help="An answer to score; repeat for several.")
@json_option("Print a JSON array, one object per --answer, in order.")
def rubric_cmd(quiz_name: str, item: str, answers: tuple[str, ...], as_json: bool) -> None:
    """Score answers against an open question's rubric.

    Nothing is stored: this is for authors testing a rubric and for checks.

    \b
    Example:
        grade rubric recap how-ad-helps --answer "It computes the gradients for you."
    """
    from grader.app.quiz import score_open_answers
    from grader.text import plain

    scored = score_open_answers(quiz_name, item, list(answers))
    if as_json:
        click.echo(json.dumps(scored))
        return
    for s in scored:
        click.echo(f"{s['score']:g}/{s['max_score']:g}  {plain(s['answer'], newlines=False)}")
        for label, key in (("found", "found"), ("uncertain (not credited)", "uncertain"), ("not found", "missing")):
            if s[key]:
                click.echo(f"    {label}: {', '.join(s[key])}")
