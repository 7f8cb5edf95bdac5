"""Terminal tables beside the grading feedback: `grade all`'s progress lines and summary."""

from __future__ import annotations

from grader.text import safe_markup


def all_progress_line(out, n: int, total: int, name: str, result, error: str | None) -> None:
    width = len(str(total))
    if result is None:
        first = (error or "").splitlines()[0][:100] if error else ""
        out.print(f"[{n:>{width}}/{total}] [red]✗ {name}[/] error: {safe_markup(first)}")
        return
    mark = "[green]✓" if result.passed else "[red]✗"
    out.print(f"[{n:>{width}}/{total}] {mark} {name}[/] {result.score:g}/{result.max_score:g}  "
              f"[dim]{result.duration_s:.2f} s[/]")


def all_summary(out, outcome) -> None:
    """The table after `grade all`, and what to do next."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="grade all", title_justify="left")
    for col, justify in (("Exercise", "left"), ("Title", "left"), ("Result", "left"),
                         ("Score", "right"), ("Time", "right")):
        table.add_column(col, justify=justify)
    passed = score = max_score = 0.0
    first_failing = None
    for ex, result, error in outcome.rows:
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
    for ex, result, error in outcome.rows:
        if error:
            out.print(f"[red]{ex.name}:[/] {safe_markup(error)}")
    out.print(f"[bold]{passed:g}/{len(outcome.rows)} passed[/], score {score:g}/{max_score:g}, "
              f"{outcome.wall_s:.1f} s with {outcome.workers} process(es).")
    if outcome.interrupted:
        out.print("[yellow]Interrupted: the exercises marked 'not run' were not graded.[/]")
    elif first_failing is not None:
        out.print(f"Next: grade {first_failing.name}   (or: grade watch {first_failing.name})")
