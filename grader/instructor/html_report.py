"""The report as one self-contained HTML file: inline CSS and SVG, readable offline.

A Content-Security-Policy forbids every external load, so the file can never phone home;
the only script is a one-liner that marks the page rendered (checked by the Chromium test).
"""

from __future__ import annotations

from html import escape

from grader.instructor.formats import duration, num
from grader.instructor.svg import hbar_chart, histogram

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em auto;max-width:1200px;
padding:0 1em;color:#1d2430}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #d8dde6;padding-bottom:.2em}
table{border-collapse:collapse;margin:.8em 0}th,td{border:1px solid #d8dde6;padding:.3em .55em;text-align:left;
vertical-align:top}th{background:#f2f4f8}td.num{text-align:right}
td.pass{background:#e6f5ea}td.fail{background:#fdecec}td.none{color:#98a0ad}
.self{font-style:italic}.small{color:#5b6474;font-size:.85em}.flag{color:#b3261e;font-weight:600}
.correct{font-weight:700;color:#1c7c36}
svg.chart .bar{fill:#3d6fb4}svg.chart .bar.neg{fill:#b3261e}svg.chart .track{fill:#eef1f6}
svg.chart .lbl,svg.chart .val{font:12px system-ui,sans-serif;fill:#1d2430}svg.chart .axis{stroke:#5b6474}
.legend{margin:.4em 0;color:#5b6474}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _pct(value) -> str:
    return f"{value:.1f}%" if value is not None else "–"


def _matrix(report: dict) -> str:
    exercises = report["exercises"]
    head = "".join(f"<th>{escape(e['name'])}<br><span class=small>{escape(e['title'])} · {num(e['points'])} pts"
                   f"</span></th>" for e in exercises)
    rows = []
    for row in report["matrix"]:
        cells = []
        for e in exercises:
            c = row["cells"][e["name"]]
            if c["origin"] is None:
                wait = " <span class=small>(awaiting regrade)</span>" if c["awaiting_regrade"] else ""
                cells.append(f'<td class="none">{c["attempts"]} attempts{wait}</td>')
                continue
            cls = "pass" if c["passed"] else "fail"
            self_reported = c["origin"] != "regrade"
            note = ' <span class="small self">self-reported</span>' if self_reported else ""
            cells.append(
                f'<td class="{cls}">{"✓" if c["passed"] else "✗"} {num(c["score"])}/{num(c["max_score"])}{note}'
                f'<br><span class=small>{c["attempts"]} attempts · {c["hints"]} hints</span></td>')
        rows.append(f"<tr><th>{escape(row['student'])}</th>{''.join(cells)}"
                    f"<td class=num>{num(row['total'])}/{num(row['max_total'])}</td></tr>")
    return (f"<table class=matrix><thead><tr><th>student</th>{head}<th>total</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _exercise_stats(report: dict) -> str:
    rows = []
    for s in report["exercise_stats"]:
        diags = ", ".join(f"<code>{escape(d['code'])}</code> ({d['students']})" for d in s["diagnoses"]) or "–"
        rows.append(
            f"<tr><th>{escape(s['exercise'])}</th><td>{escape(s['concept'])}</td>"
            f"<td class=num>{s['passed']}/{s['students']}</td><td class=num>{_pct(100 * s['pass_rate'] if s['pass_rate'] is not None else None)}</td>"
            f"<td class=num>{num(s['median_attempts']) or '–'}</td>"
            f"<td class=num>{duration(s['median_time_to_pass_s'])}</td><td>{diags}</td></tr>")
    chart = hbar_chart([(s["exercise"], 100 * s["pass_rate"] if s["pass_rate"] is not None else None)
                        for s in report["exercise_stats"]], title="Pass rate per exercise")
    return (chart + "<table><thead><tr><th>exercise</th><th>concept</th><th>passed</th><th>pass rate</th>"
            "<th>median attempts</th><th>median time to pass</th><th>most common diagnoses (students)</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _quiz(q: dict) -> str:
    t = q["test"]
    version = f" <span class=small>version {escape(q['version'][:12])}</span>" if q["version"] else ""
    stats = [
        ("attempts", f"{t['attempts']} ({escape(q['which_attempts'])} attempt per student)" if q["which_attempts"] == "first"
         else f"{t['attempts']} (all attempts)"),
        ("mean", _pct(t["mean_percent"])), ("median", _pct(t["median_percent"])),
        ("standard deviation", _pct(t["sd_percent"])), ("skewness", num(t["skewness"], 4) or "–"),
        ("kurtosis", num(t["kurtosis"], 4) or "–"),
        ("coefficient of internal consistency", _pct(t["cic"])), ("error ratio", _pct(t["error_ratio"])),
        ("standard error", f"{num(t['standard_error'], 3) or '–'} marks"),
    ]
    summary = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in stats)
    rows = []
    for it in q["items"]:
        options = "<br>".join(
            f'<span class="{"correct" if o["correct"] else ""}">{escape(o["option"])}</span>: {o["count"]}'
            f' ({100 * o["fraction"]:.0f}%)' + (f' <code>{escape(o["misconception"])}</code>' if o["misconception"] else "")
            for o in it["options"]) or "–"
        flags = "".join(f'<div class="flag">{escape(f)}</div>' for f in it["flags"])
        rows.append(
            f"<tr><th>{escape(it['question_id'])}</th><td>{escape(it['kind'])}</td><td class=num>{it['s']}</td>"
            f"<td class=num>{_pct(it['facility'])}</td><td class=num>{_pct(it['sd'])}</td>"
            f"<td class=num>{_pct(it['random_guess_score'])}</td>"
            f"<td class=num>{_pct(it['discrimination_index'])}</td>"
            f"<td class=num>{_pct(it['discriminative_efficiency'])}</td><td>{options}</td><td>{flags}</td></tr>")
    chart = hbar_chart([(f"{it['question_id']} facility", it["facility"]) for it in q["items"]]
                       + [(f"{it['question_id']} efficiency", it["discriminative_efficiency"]) for it in q["items"]],
                       title=f"Facility and discriminative efficiency, quiz {q['quiz']}")
    return (f"<h3>Quiz {escape(q['quiz'])}{version}</h3>"
            + histogram(q["distribution"], title=f"Score distribution, quiz {q['quiz']}")
            + f"<table>{summary}</table>" + chart
            + "<table><thead><tr><th>question</th><th>kind</th><th>n</th><th>facility</th><th>SD</th>"
              "<th>random guess</th><th>discrimination index</th><th>discriminative efficiency</th>"
              f"<th>options: count (share), tag</th><th>flags</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _misconceptions(report: dict) -> str:
    if not report["misconceptions"]:
        return "<p>No tagged wrong answers or diagnoses yet.</p>"
    rows = "".join(
        f"<tr><th><code>{escape(m['tag'])}</code></th><td class=num>{m['quiz_students']}</td>"
        f"<td>{escape(', '.join(m['questions'])) or '–'}</td><td class=num>{m['exercise_students']}</td>"
        f"<td>{escape(', '.join(m['exercises'])) or '–'}</td></tr>" for m in report["misconceptions"])
    return ("<table><thead><tr><th>misconception</th><th>students (quiz distractors)</th><th>questions</th>"
            f"<th>students (exercise diagnoses)</th><th>exercises</th></tr></thead><tbody>{rows}</tbody></table>")


def render_html(report: dict) -> str:
    r = report["regrade"]
    regrade = (f"<p>Bundles collected: {r['bundles']}; gradings regraded: {r['regraded']}, pending: {r['pending']}.</p>"
               if r["bundles"] else "<p>No bundles collected: every score below is self-reported.</p>")
    quizzes = "".join(_quiz(q) for q in report["quizzes"]) or "<p>No complete quiz attempts yet.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Autograd course report</title><style>{CSS}</style></head>
<body>
<h1>Autograd course report</h1>
<p class=small>Generated {escape(report['generated_at'])} by grader {escape(report['grader_version'])};
{len(report['students'])} students.</p>
{regrade}
<h2 id="matrix">Students × exercises</h2>
<p class=legend>Scores are regraded in the sandbox unless marked <span class=self>self-reported</span>.
Attempts and hints come from each student's own history.</p>
{_matrix(report)}
<h2 id="exercises">Per exercise</h2>
{_exercise_stats(report)}
<h2 id="quizzes">Quizzes: score distribution and item analysis</h2>
<p class=legend>Moodle's definitions; flags: negative covariance, discriminative efficiency under 15%,
facility at or below 5% or at or above 95%.</p>
{quizzes}
<h2 id="misconceptions">Misconceptions</h2>
{_misconceptions(report)}
<script>document.documentElement.setAttribute("data-rendered", String(document.querySelectorAll("svg").length));</script>
</body></html>
"""
