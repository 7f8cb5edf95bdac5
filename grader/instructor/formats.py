"""The report as a terminal table and JSON (gradebook CSVs: grader.instructor.gradebook)."""

from __future__ import annotations

import json
from typing import Optional

from grader.text import safe_markup

FORMATS = ("table", "csv", "json", "html", "moodle", "canvas")


def num(value: Optional[float], digits: int = 2) -> str:
    """4.0 -> '4', 2.5 -> '2.5', None -> ''."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "–"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def render_json(report: dict) -> str:
    return json.dumps(report, indent=2)


def _cell_text(cell: dict) -> str:
    if cell["origin"] is None and not cell["attempts"]:
        return "[dim]·[/]" + (" [yellow]…[/]" if cell["awaiting_regrade"] else "")
    mark = "[green]✓[/]" if cell["passed"] else "[red]✗[/]"
    score = f"{num(cell['score'])}/{num(cell['max_score'])}" if cell["origin"] else "–"
    flag = "" if cell["origin"] == "regrade" else "*"
    wait = " [yellow]…[/]" if cell["awaiting_regrade"] else ""
    return f"{mark} {score}{flag}{wait}\n[dim]{cell['attempts']} att · {cell['hints']} hint[/]"


def render_table(report: dict, console) -> None:
    from rich.table import Table

    if not report["matrix"] and not report["quizzes"]:
        console.print("No students in this database yet. Each student runs 'grade submit' and hands in the "
                      "bundle; then: grade collect BUNDLE..., grade regrade, grade report.")
        return
    exercises = report["exercises"]
    # As many exercise columns per table as the width allows; a long course gets several tables.
    name_w = max([len(r["student"]) for r in report["matrix"]] + [7]) + 3
    per_table = max(1, (console.width - name_w - 10) // 17)
    for start in range(0, max(1, len(exercises)), per_table):
        chunk = exercises[start:start + per_table]
        last = start + per_table >= len(exercises)
        span = f" ({chunk[0]['name']}–{chunk[-1]['name']})" if len(chunk) < len(exercises) and chunk else ""
        matrix = Table(title=f"Students × exercises{span}", title_justify="left", show_lines=True)
        matrix.add_column("student", no_wrap=True)
        for e in chunk:
            matrix.add_column(f"{e['name']}\n[dim]{e['slug']}[/]", justify="center", min_width=14)
        if last:
            matrix.add_column("total", justify="right", no_wrap=True)
        for row in report["matrix"]:
            cells = [_cell_text(row["cells"][e["name"]]) for e in chunk]
            if last:
                cells.append(f"{num(row['total'])}/{num(row['max_total'])}")
            matrix.add_row(safe_markup(row["student"]), *cells)
        console.print(matrix)
    console.print("[dim]* self-reported (not regraded)   … submitted, awaiting 'grade regrade'   "
                  "att: attempts, hint: hints used (self-reported)[/]")
    r = report["regrade"]
    if r["bundles"]:
        console.print(f"Bundles: {r['bundles']} current; gradings: {r['regraded']} regraded, {r['pending']} pending.")

    stats = Table(title="Per exercise", title_justify="left")
    for col in ("exercise", "passed", "rate", "attempts\n(median)", "time to pass\n(median)"):
        stats.add_column(col, no_wrap=True)
    stats.add_column("most common diagnoses (students)", overflow="fold", ratio=1)
    for s in report["exercise_stats"]:
        diags = ", ".join(f"{safe_markup(d['code'])} ({d['students']})" for d in s["diagnoses"]) or "–"
        rate = f"{100 * s['pass_rate']:.0f}%" if s["pass_rate"] is not None else "–"
        stats.add_row(s["exercise"], f"{s['passed']}/{s['students']}", rate, num(s["median_attempts"]) or "–",
                      duration(s["median_time_to_pass_s"]), diags)
    console.print(stats)

    for q in report["quizzes"]:
        _quiz_tables(q, console)
    if report["misconceptions"]:
        roll = Table(title="Misconceptions: quiz distractors beside exercise diagnoses", title_justify="left")
        roll.add_column("tag", overflow="fold")
        for col in ("students (quiz)", "questions", "students (exercises)", "exercises"):
            roll.add_column(col, overflow="fold")
        for m in report["misconceptions"]:
            roll.add_row(safe_markup(m["tag"]), str(m["quiz_students"]), safe_markup(", ".join(m["questions"])) or "–",
                         str(m["exercise_students"]), safe_markup(", ".join(m["exercises"])) or "–")
        console.print(roll)


def _quiz_tables(q: dict, console) -> None:
    from rich.table import Table

    t = q["test"]
    version = f" (version {safe_markup(q['version'][:8])})" if q["version"] else ""
    console.print(f"\n[bold]Quiz {safe_markup(q['quiz'])}{version}[/] — {t['attempts']} {q['which_attempts']} attempt(s)")
    peak = max((b["count"] for b in q["distribution"]), default=0) or 1
    for b in q["distribution"]:
        bar = "█" * round(30 * b["count"] / peak)
        console.print(f"  {num(b['from']):>3}–{num(b['to']):<3}% {bar} {b['count'] or ''}")
    console.print(
        f"  mean {num(t['mean_percent'])}%  median {num(t['median_percent'])}%  SD {num(t['sd_percent'])}%  "
        f"CIC {num(t['cic'])}%  error ratio {num(t['error_ratio'])}%  SE {num(t['standard_error'])}"
    )
    items = Table(title_justify="left")
    for col in ("question", "n", "facility", "SD", "discrimination", "efficiency", "options (count)", "flags"):
        items.add_column(col, overflow="fold")
    for it in q["items"]:
        opts = " ".join(
            f"{'[green]' if o['correct'] else ''}{safe_markup(o['option'])}{'[/]' if o['correct'] else ''}:{o['count']}"
            for o in it["options"])
        items.add_row(safe_markup(it["question_id"]), str(it["s"]), _pct(it["facility"]), _pct(it["sd"]),
                      _pct(it["discrimination_index"]), _pct(it["discriminative_efficiency"]), opts or "–",
                      "[red]" + ", ".join(it["flags"]) + "[/]" if it["flags"] else "")
    console.print(items)


def _pct(value: Optional[float]) -> str:
    return f"{value:.1f}%" if value is not None else "–"
