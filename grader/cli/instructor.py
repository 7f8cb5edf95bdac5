"""The instructor's commands: report, collect, regrade, answers. Each parses its options, calls one
function in grader.app (answers: grader.app.quiz) and exits. report, collect and answers never
import torch."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import app, jobs_option, note
from grader.errors import EXIT_GRADER, EXIT_INTERRUPTED, EXIT_USAGE


@click.command("report")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html", "moodle", "canvas"]),
              default="table", show_default=True,
              help="table: the terminal; csv: one row per student (every column); moodle, canvas: the file "
                   "that LMS's gradebook import takes; json: everything; html: one self-contained file with charts.")
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
@click.argument("bundles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--roster", type=click.Path(path_type=Path, dir_okay=False), metavar="ROSTER.csv",
              help="Your class list (an LMS export): each bundle is filed under a roster student, "
                   "found from its LMS download name or folder, never from what the bundle claims.")
@click.option("--log", "show_log", is_flag=True, help="List every change of a student's bundle (who, when, which).")
@click.option("--undo", "undo", type=click.IntRange(1), metavar="N",
              help="Undo change N from --log: the student's bundle before it counts again.")
@click.pass_context
def collect_cmd(ctx: click.Context, bundles: tuple[Path, ...], roster: Path | None, show_log: bool,
                undo: int | None) -> None:
    """Import students' bundles (safe to repeat).

    Nothing is imported twice. The bundle collected last is a student's current one; each
    replacement is reported, logged and can be undone (--log, --undo N). With --roster,
    bundles nothing identifies are listed and not imported, and roster students without a
    bundle are listed too. A malformed bundle is reported with `Error:` (exit 2); the
    others still go in.

    \b
    Example:
        grade --db class.db collect --roster roster.csv downloads/*/*.zip
        grade --db class.db collect --log
        grade --db class.db regrade
    """
    from grader.app import instructor

    if sum((bool(bundles), show_log, undo is not None)) != 1 or (roster is not None and not bundles):
        from grader.cli.options import UsageError

        raise UsageError("Pass bundle files (and --roster ROSTER.csv if you have one), or --log, or --undo N.")
    a = app(ctx)
    if show_log:
        _print_log(instructor.bundle_log(a))
        return
    if undo is not None:
        _print_undo(instructor.undo_bundle_change(a, undo))
        return
    result = instructor.collect(a, list(bundles), roster=roster, progress=_collect_progress(len(bundles)))
    _print_collect(result)
    if result.errors:
        ctx.exit(EXIT_USAGE)


def _collect_progress(total: int):
    """A progress line on a terminal's stderr for long runs (nothing when piped)."""
    import sys

    if total < 20 or not sys.stderr.isatty():
        return None

    def progress(done: int, total: int, name: str) -> None:
        click.echo(f"\rcollecting: {done}/{total}", err=True, nl=done == total)

    return progress


def _print_collect(result) -> None:
    from grader.instructor.collect import shown

    for outcome in result.outcomes:
        for line in outcome.describe():
            click.echo(line)
    for line in result.errors:
        click.echo(f"Error: {shown(line, 600)}", err=True)
    if result.roster is not None:
        filed = len(result.roster.entries) - len(result.missing)
        click.echo(f"Roster: {len(result.roster.entries)} students, {filed} with a bundle.")
        if result.missing:
            people = "; ".join(shown(m["name"] + (f" <{m['email']}>" if m["email"] else "")) for m in result.missing)
            click.echo(f"Missing ({len(result.missing)}, no bundle yet): {people}")
    if result.unfiled:
        files = ", ".join(shown(o.path.name) for o in result.unfiled)
        click.echo(f"Not imported ({len(result.unfiled)}): {files}")
    if any(o.status in ("collected", "replaced", "recollected") for o in result.outcomes):
        click.echo("Next: grade regrade (authoritative scores), then grade report.")


def _when(ts: str | None) -> str:
    return (ts or "")[:19].replace("T", " ")


def _print_log(events: list[dict]) -> None:
    from grader.instructor.collect import shown

    if not events:
        click.echo("No bundle changes yet: grade collect BUNDLE... imports some.")
        return
    for e in events:
        now_ = f"#{e['bundle_id']} {shown(e['bundle_file'], 60)}" if e["bundle_id"] else "no bundle"
        before = f"#{e['previous_id']} {shown(e['previous_file'], 60)}" if e["previous_id"] else "no bundle"
        what = f"undo of #{e['undoes']}" if e["action"] == "undo" else e["action"]
        tail = f"   (undo: grade collect --undo {e['id']})" if e["latest"] else ""
        click.echo(f"#{e['id']}  {_when(e['at'])}  by {shown(e['by'], 40)}  {shown(e['student'])}: {what}: "
                   f"{before} -> {now_}{tail}")


def _print_undo(event: dict) -> None:
    from grader.instructor.collect import shown

    now_ = (f"bundle #{event['bundle_id']} ({shown(event['bundle_file'], 60)})" if event["bundle_id"]
            else "no bundle")
    click.echo(f"Undid change #{event['undoes']}: {shown(event['student'])} now has {now_}. "
               f"Logged as change #{event['id']} (undo it with: grade collect --undo {event['id']}).")
    click.echo("Next: grade regrade (if that bundle's files were never regraded), then grade report.")


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


@click.command("answers")
@click.argument("quiz_name", metavar="QUIZ")
@click.argument("item", metavar="ITEM")
@click.option("--group", "group", type=int, metavar="N", help="Decide on answer group N (as listed).")
@click.option("--response", "response", type=int, metavar="ID", help="Decide on one answer (its id, as listed).")
@click.option("--confirm", is_flag=True, help="Keep the automatic score, as the instructor's decision.")
@click.option("--score", "score", type=float, metavar="S", help="Set the score (0 to the question's points).")
@click.option("--found", "found", metavar="IDS",
              help="Comma-separated concept ids to credit (the score is their count unless --score is given).")
@click.option("--revoke", is_flag=True, help="Remove the decision in force: the automatic score applies again.")
@click.option("--reason", default="", help="Why (stored with the decision).")
@click.option("--by", "by", default="", help="Who decides (default: your user name).")
@click.option("--interactive", "-i", is_flag=True, help="Walk through the groups and decide on each in turn.")
@click.option("--json", "as_json", is_flag=True, help="Print the groups (or what was done) as JSON.")
@click.pass_context
def answers_cmd(ctx: click.Context, quiz_name: str, item: str, group: int | None, response: int | None,
                confirm: bool, score: float | None, found: str | None, revoke: bool, reason: str, by: str,
                interactive: bool, as_json: bool) -> None:
    """Review open answers by group; confirm or override their scores.

    Answers to one question are grouped by what the grader found in them. Without options,
    lists the groups: each with the concepts the rubric credits, the answers
    (student, id, automatic and effective score). Confirm or override a whole group or one answer;
    every decision is stored with who, when and why, and every report, the item analysis and the
    CSV use it.

    \b
    Example:
        grade --db class.db answers recap how-ad-helps
        grade --db class.db answers recap how-ad-helps --group 2 --confirm
        grade --db class.db answers recap how-ad-helps --response 17 --found gradients,update --reason "says it in other words"
        grade --db class.db answers recap how-ad-helps --interactive
    """
    import json

    from grader.app import quiz as quizapp
    from grader.text import plain

    a = app(ctx)
    credited = [c.strip() for c in found.split(",") if c.strip()] if found is not None else None
    deciding = confirm or score is not None or credited is not None or revoke
    if deciding:
        if sum([confirm, revoke, score is not None or credited is not None]) > 1:
            raise click.UsageError("Choose one of --confirm, --revoke, or --score/--found.")
        done = quizapp.decide_answers(a, quiz_name, item, quizapp.Decision(confirm, score, credited, revoke, reason),
                                      group=group, response=response, by=by)
        if as_json:
            click.echo(json.dumps(done))
        else:
            what = {"confirmed": "Confirmed", "overridden": "Overrode", "revoked": "Revoked the decisions on"}
            click.echo(f"{what[done['action']]} {len(done['responses'])} answer(s)"
                       + (f" (score {done['score']:g})" if done.get("score") is not None else "") + ".")
        return
    if group is not None or response is not None:
        raise click.UsageError("Say what to do with it: --confirm, --score S, --found IDS or --revoke.")
    if interactive:
        done = quizapp.review_answer_groups(a, quiz_name, item, _prompt_for(quiz_name, item), by=by)
        click.echo(f"Stored {len(done)} decision(s).")
        return
    _item, groups = quizapp.answer_groups(a, quiz_name, item)
    if as_json:
        click.echo(json.dumps({"quiz": quiz_name, "item": item, "groups": [g.to_json() for g in groups]}))
        return
    if not groups:
        click.echo(f"No answers to {plain(quiz_name)}/{plain(item)} in this database.")
        return
    for g in groups:
        _show_group(g)
    click.echo(f"Decide: grade answers {quiz_name} {item} --group N --confirm | --score S | --found IDS "
               "(or --response ID for one answer).")


def _show_group(g) -> None:
    from grader.text import clip, plain

    credited = ", ".join(g.found) or "nothing"
    unsure = f"; uncertain: {', '.join(g.uncertain)}" if g.uncertain else ""
    click.echo(f"Group {g.number}: {g.score:g}/{g.max_score:g}, credits {credited}{unsure} ({len(g.answers)} answer(s))")
    for ans in g.answers:
        decided = ""
        if ans.overridden and ans.override:
            decided = f"  [decided {ans.effective:g} by {plain(ans.override['by'] or '?', newlines=False)}]"
        click.echo(f"  #{ans.response_id} {plain(ans.student, newlines=False)}: {ans.effective:g}/{ans.max_score:g}"
                   f"{decided}  {plain(clip(ans.answer, 200), newlines=False)}")


def _prompt_for(quiz_name: str, item: str):
    from grader.app.quiz import Decision

    def decide(g):
        _show_group(g)
        choice = click.prompt("[c]onfirm, [o]verride, [s]kip, [q]uit", default="s", show_default=False).strip().lower()
        if choice.startswith("q"):
            raise EOFError
        if choice.startswith("c"):
            return Decision(confirm=True)
        if choice.startswith("o"):
            ids = click.prompt("Concepts to credit (comma-separated ids, empty for none)", default="",
                               show_default=False)
            reason = click.prompt("Why", default="", show_default=False)
            return Decision(found=[c.strip() for c in ids.split(",") if c.strip()], reason=reason)
        return None

    return decide
