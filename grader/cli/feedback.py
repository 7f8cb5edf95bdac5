"""Terminal feedback for a graded attempt: tests with points, failures, diagnosis, targets, trace."""

from __future__ import annotations

import math

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from grader.engine.results import AttemptResult
from grader.text import plain

ICONS = {"passed": ("✓ pass", "green"), "failed": ("✗ fail", "red"),
         "error": ("✗ error", "red"), "timeout": ("⏱ timeout", "yellow")}


def pretty_name(name: str) -> str:
    return name.removeprefix("test_").replace("_", " ")


def _points(x: float) -> str:
    return f"{x:g}"


def tests_table(result: AttemptResult) -> Table:
    table = Table(title=f"{result.exercise} · {result.title}", title_justify="left", expand=False)
    table.add_column("Test")
    table.add_column("Result")
    table.add_column("Points", justify="right")
    for t in result.tests:
        label, style = ICONS.get(t.status, (t.status, ""))
        pts = f"{_points(t.score)}/{_points(t.max_score)}" if t.max_score else "required"
        table.add_row(plain(pretty_name(t.name)), Text(label, style=style), pts)
    return table


def _curve_columns(values: list[float], width: int) -> list[tuple[int, float]]:
    """(epoch, loss) per column: every epoch, or evenly spaced ones when there are more than `width`."""
    n = len(values)
    if n <= width:
        return [(i + 1, v) for i, v in enumerate(values)]
    picks = sorted({round(i * (n - 1) / (width - 1)) for i in range(width)})
    return [(i + 1, values[i]) for i in picks]


def sparkline_curve(values: list[float], height: int = 6, width: int = 40) -> list[str]:
    """A small loss curve in text, like the lesson's training trace: one column per epoch.

    The vertical axis is logarithmic when the loss spans more than three orders of magnitude
    (a fit that becomes exact would otherwise be one cliff and a flat line). A loss that is
    NaN or infinite is drawn as '!' on the top row.
    """
    columns = _curve_columns(values, width)
    finite = [v for _, v in columns if math.isfinite(v)]
    if len(columns) < 2 or not finite:
        return []
    log = min(finite) > 0 and max(finite) / min(finite) > 1e3
    scaled = [math.log10(v) if log else v for v in finite]
    lo, hi = min(scaled), max(scaled)
    span = (hi - lo) or 1.0
    gap = 2 if len(columns) <= width // 2 else 1  # spaced out like the lesson's curve when there is room
    grid = [[" "] * (len(columns) * gap) for _ in range(height)]
    for c, (_, v) in enumerate(columns):
        if not math.isfinite(v):
            grid[0][c * gap] = "!"
            continue
        level = round(((math.log10(v) if log else v) - lo) / span * (height - 1))
        grid[height - 1 - level][c * gap] = "*"
    rows = []
    for r, cells in enumerate(grid):
        level = lo + span * (height - 1 - r) / (height - 1)
        label = f"{10 ** level:.2g}" if log else f"{level:.3g}"
        rows.append(f"{label:>8} |{''.join(cells).rstrip()}")
    rows.append(" " * 9 + "+" + "-" * (len(columns) * gap))
    first, last = columns[0][0], columns[-1][0]
    ticks = f"{first}".ljust(len(columns) * gap - len(str(last))) + f"{last}"
    rows.append(" " * 10 + ticks + "  epochs" + ("  (log scale)" if log else ""))
    return rows


def trace_table(result: AttemptResult) -> Table:
    table = Table(title="Training trace (computed by the grader on held-out data)", title_justify="left")
    table.add_column("Epoch", justify="right")
    table.add_column("Loss ↓", justify="right")
    table.add_column("Accuracy ↑", justify="right")
    table.add_column("Observation")
    rows = result.trace
    if len(rows) > 12:  # first, last and evenly spaced epochs in between
        keep = sorted({0, len(rows) - 1, *range(0, len(rows), max(1, len(rows) // 10))})
        rows = [rows[i] for i in keep]
    for row in rows:
        acc = row.get("accuracy")
        loss = row["loss"]
        shown = f"{loss:.4f}" if not math.isfinite(loss) or abs(loss) >= 1e-3 else f"{loss:.2e}"
        table.add_row(str(row["epoch"]), shown, "" if acc is None else f"{acc:.2%}", plain(row.get("note") or ""))
    return table


def render(result: AttemptResult, console: Console, *, hints_left: int = 0, next_name: str | None = None,
           watching: bool = False) -> None:
    """The whole feedback for one attempt. Every text that came from the student's code is shown
    as plain text (rich Text, never markup) without control characters. watching: `grade watch`
    re-grades on save, so the closing line says so instead of naming a command to run."""
    console.print(tests_table(result))
    total = f"Score {_points(result.score)}/{_points(result.max_score)}"
    console.print(Text(total, style="bold"))
    for t in result.tests:
        if t.passed:
            continue
        label, style = ICONS.get(t.status, (t.status, ""))
        body = [Text(plain(t.message) or "(no details)")]
        if t.output:
            body.append(Text("\nYour code printed:\n", style="dim"))
            body.append(Text(plain(t.output.rstrip()[:1500]), style="dim"))
        console.print(Panel(Group(*body), title=Text(f"{label}  {pretty_name(t.name)}", style=style),
                            title_align="left", border_style=style))
    if result.targets:
        lines = []
        for name, target in result.targets.items():
            value = result.metrics.get(name)
            ok = target.met(value)
            shown = "not measured" if value is None else f"{value:.4g}"
            lines.append(Text(f"{'✓' if ok else '✗'} {name} = {shown}  (target {target.describe(name)})",
                              style="green" if ok else "red"))
        console.print(Panel(Group(*lines), title="Targets", title_align="left"))
    if result.trace:
        console.print(trace_table(result))
        curve = sparkline_curve([row["loss"] for row in result.trace])
        if curve:
            console.print(Text("Loss\n" + "\n".join(curve), style="cyan"))
    for d in result.diagnoses:
        console.print(Panel(Text(f"{plain(d.message)}\n[{plain(d.code)}]"), title=Text(f"Diagnosis: {plain(d.title or d.code)}",
                                                                          style="bold yellow"),
                            title_align="left", border_style="yellow"))
    if not result.complete:
        console.print(Text(result.status_message or "Grading did not finish; results are partial.",
                           style="yellow"))
    elif result.passed:
        msg = f"Passed {result.exercise}!"
        if next_name and not watching:
            msg += f" Next: grade {next_name}"
        console.print(Text(msg, style="bold green"))
        console.print(Text(f"Compare with the reference: grade solution {result.exercise}", style="dim"))
    else:
        msg = "Not yet. Fix the first failure above and save." if watching else \
            f"Not yet. Fix the first failure above, save, and run: grade {result.exercise}"
        console.print(Text(msg, style="bold"))
        if hints_left:
            console.print(Text(f"Stuck? grade hint {result.exercise}  ({hints_left} hint(s) left)", style="dim"))
