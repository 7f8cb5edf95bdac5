"""Three students' bundles -> collect -> regrade -> report: matrix, statistics, item analysis, CSV, HTML.

Every expected number is worked out by hand in test_bundles_support.py and in the comments here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grader.cli import cli
from grader import course
from test_bundles_support import class_bundles

FIRST3 = ("exercise1", "exercise2", "exercise3")


def _max_total() -> float:
    return sum(e.points for e in course.load().exercises if not e.optional)


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("class")
    db = folder / "class.db"
    from click.testing import CliRunner

    res = CliRunner().invoke(cli, ["--db", str(db), "collect", *map(str, class_bundles(folder))])
    assert res.exit_code == 0, res.output
    return db


@pytest.fixture(scope="module")
def regraded(collected, sandbox, tmp_path_factory) -> Path:
    from grader.instructor.regrade import regrade
    from grader.store import open_store

    db = tmp_path_factory.mktemp("regraded") / "class.db"
    shutil.copyfile(collected, db)
    store = open_store(db)
    summary = regrade(store, course.load(), workers=1, sandbox=sandbox)
    store.close()
    assert (summary.graded, summary.errors) == (9, [])
    return db


def _report(runner, db: Path, *args: str) -> str:
    res = runner.invoke(cli, ["--db", str(db), "report", *args])
    assert res.exit_code == 0, res.output
    return res.output


def _json(runner, db: Path, *args: str) -> dict:
    return json.loads(_report(runner, db, "--format", "json", *args))


def _cells(report: dict) -> dict:
    return {(row["student"], ex): row["cells"][ex] for row in report["matrix"] for ex in FIRST3}


def test_before_regrade_scores_are_self_reported(collected, runner):
    report = _json(runner, collected)
    cells = _cells(report)
    assert {c["origin"] for c in cells.values() if c["origin"]} == {"self-reported"}
    # ben claimed exercise 2 passed; until regraded that is all we know, and it is marked.
    assert (cells[("ben", "exercise2")]["score"], cells[("ben", "exercise2")]["passed"]) == (4.0, True)
    assert cells[("cy", "exercise3")]["origin"] is None and cells[("cy", "exercise3")]["awaiting_regrade"]
    assert report["regrade"] == {"bundles": 3, "regraded": 0, "pending": 9}
    rows = list(csv.DictReader(io.StringIO(_report(runner, collected, "--format", "csv"))))
    assert [(r["student"], r["exercise2"], r["scores_from"]) for r in rows] == [
        ("ada", "4", "self-reported"), ("ben", "4", "self-reported"), ("cy", "4", "self-reported")]


def test_matrix_after_regrade(regraded, runner):
    report = _json(runner, regraded)
    assert report["students"] == ["ada", "ben", "cy"]
    got = {k: (c["score"], c["max_score"], c["passed"], c["attempts"], c["hints"], c["origin"])
           for k, c in _cells(report).items()}
    assert got == {
        ("ada", "exercise1"): (5.0, 5.0, True, 2, 1, "regrade"),
        ("ada", "exercise2"): (4.0, 4.0, True, 1, 0, "regrade"),
        ("ada", "exercise3"): (4.0, 4.0, True, 1, 0, "regrade"),
        ("ben", "exercise1"): (5.0, 5.0, True, 3, 2, "regrade"),
        ("ben", "exercise2"): (0.0, 4.0, False, 1, 0, "regrade"),  # the self-reported pass did not survive
        ("ben", "exercise3"): (0.0, 4.0, False, 1, 0, "regrade"),
        ("cy", "exercise1"): (1.0, 5.0, False, 1, 0, "regrade"),
        ("cy", "exercise2"): (4.0, 4.0, True, 2, 0, "regrade"),
        ("cy", "exercise3"): (4.0, 4.0, True, 0, 0, "regrade"),
    }
    totals = {row["student"]: (row["total"], row["max_total"], row["origin"]) for row in report["matrix"]}
    assert totals == {"ada": (13.0, _max_total(), "regrade"), "ben": (5.0, _max_total(), "regrade"),
                      "cy": (9.0, _max_total(), "regrade")}
    assert report["regrade"] == {"bundles": 3, "regraded": 9, "pending": 0}


def test_per_exercise_statistics(regraded, runner):
    stats = {s["exercise"]: s for s in _json(runner, regraded)["exercise_stats"]}
    ex1, ex2, ex3 = (stats[e] for e in FIRST3)
    assert (ex1["passed"], ex1["students"]) == (2, 3) and ex1["pass_rate"] == pytest.approx(2 / 3)
    assert ex1["median_attempts"] == 2  # attempts 2, 3, 1
    # ada: 10:00:00 -> pass at 10:05:00 + 2 s = 302 s; ben: first hint 09:59:00 -> 10:20:00 + 4 s = 1264 s.
    assert ex1["median_time_to_pass_s"] == pytest.approx((302 + 1264) / 2)
    # missing-requires-grad: ada and ben (their own attempts), cy (own attempt and the regrade of the stub).
    assert ex1["diagnoses"] == [{"code": "missing-requires-grad", "students": 3, "attempts": 5}]
    assert ex2["passed"] == 2 and ex2["median_attempts"] == 1  # attempts 1, 1, 2
    # ada 1 s; cy 11:00:00 -> 11:30:00 + 2 s = 1802 s; ben's self-reported pass is not a pass.
    assert ex2["median_time_to_pass_s"] == pytest.approx((1 + 1802) / 2)
    assert ex2["diagnoses"] == [{"code": "inplace-on-leaf", "students": 2, "attempts": 2},
                                {"code": "inplace-on-saved-tensor", "students": 1, "attempts": 1}]
    assert ex3["passed"] == 2 and ex3["median_attempts"] == 1  # cy never tried it locally
    assert ex3["median_time_to_pass_s"] == pytest.approx(1.5)  # only ada has a history for it
    assert ex3["diagnoses"] == [{"code": "backward-not-called", "students": 1, "attempts": 2},
                                {"code": "backward-non-scalar", "students": 1, "attempts": 1}]


def test_item_analysis_and_distribution(regraded, runner):
    [quiz] = _json(runner, regraded)["quizzes"]
    assert (quiz["quiz"], quiz["version"], quiz["which_attempts"]) == ("autograd-basics", "v1", "first")
    # First attempts: ada 3/4, ben 2/4, cy 1/4 -> 75 %, 50 %, 25 %.
    assert quiz["score_percents"] == [25.0, 50.0, 75.0]
    assert [b["count"] for b in quiz["distribution"]] == [0, 0, 1, 0, 0, 1, 0, 1, 0, 0]
    t = quiz["test"]
    assert (t["attempts"], t["items"], t["max_total"]) == (3, 4, 4.0)
    assert t["mean_percent"] == pytest.approx(50.0) and t["sd_percent"] == pytest.approx(25.0)
    assert t["cic"] == pytest.approx(-400 / 9)  # 100 * 4/3 * (1 - (4/3) / 1)
    assert t["error_ratio"] == pytest.approx(100 * (13 / 9) ** 0.5)
    items = {i["question_id"]: i for i in quiz["items"]}
    assert items["q1"]["facility"] == pytest.approx(100 / 3)
    assert items["q1"]["discrimination_index"] == pytest.approx(50.0)
    assert items["q1"]["discriminative_efficiency"] == pytest.approx(100.0)
    assert items["q4"]["discrimination_index"] == pytest.approx(-250 / 7 ** 0.5)
    assert items["q4"]["flags"] == ["negative covariance", "efficiency under 15%"]
    assert [(o["option"], o["count"], o["correct"], o["misconception"]) for o in items["q3"]["options"]] == [
        ("a", 2, False, "backward-not-called"), ("b", 0, False, None), ("c", 1, True, None), ("d", 0, False, None)]
    assert [(o["option"], o["count"], o["correct"]) for o in items["q2"]["options"]] == [
        ("false", 1, False), ("true", 2, True)]

    # Every attempt instead: ben's second attempt (4/4) joins.
    [every] = _json(runner, regraded, "--all-attempts")["quizzes"]
    assert every["test"]["attempts"] == 4 and every["score_percents"] == [25.0, 50.0, 75.0, 100.0]


def test_misconceptions_sit_beside_exercise_diagnoses(regraded, runner):
    roll = {m["tag"]: (m["quiz_students"], m["questions"], m["exercise_students"], m["exercises"])
            for m in _json(runner, regraded)["misconceptions"]}
    assert roll == {
        "missing-requires-grad": (1, ["q1"], 3, ["exercise1"]),
        "backward-not-called": (2, ["q3"], 1, ["exercise3"]),
        "inplace-on-leaf": (1, ["q1"], 2, ["exercise2"]),
        "inplace-on-saved-tensor": (0, [], 1, ["exercise2"]),
        "backward-non-scalar": (0, [], 1, ["exercise3"]),
        "retain-graph": (1, ["q4"], 0, []),
    }


def test_csv_is_one_row_per_student(regraded, runner, tmp_path):
    out = tmp_path / "gradebook.csv"
    runner.invoke(cli, ["--db", str(regraded), "report", "--format", "csv", "--out", str(out)])
    rows = list(csv.reader(out.open()))
    others = [e.name for e in course.load().exercises[3:]]
    assert rows[0] == ["student", "email", "student_id", *FIRST3, *others, "exercises_total", "exercises_max",
                       "quiz:autograd-basics", "scores_from"]
    top = f"{_max_total():g}"
    blanks = [""] * len(others)
    # Quiz column: best complete attempt (ben's second, 4/4).
    assert rows[1:] == [["ada", "", "", "5", "4", "4", *blanks, "13", top, "3", "regrade"],
                        ["ben", "", "", "5", "0", "0", *blanks, "5", top, "4", "regrade"],
                        ["cy", "", "", "1", "4", "4", *blanks, "9", top, "1", "regrade"]]


def test_terminal_table(regraded, runner, tmp_path):
    text = _report(runner, regraded)
    assert "Students × exercises" in text and "Per exercise" in text and "Quiz autograd-basics" in text
    ben = next(line for line in text.splitlines() if line.startswith("│ ben"))
    assert "✓ 5/5" in ben and "✗ 0/4" in ben and "*" not in ben  # regraded: no self-reported mark
    out = tmp_path / "report.txt"
    _report(runner, regraded, "--out", str(out))
    assert "negative covariance" in out.read_text()


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith(("#", "data:")):
                self.external.append(value)


def test_html_report_is_self_contained_and_opens_in_chromium(regraded, runner, tmp_path):
    out = tmp_path / "report.html"
    _report(runner, regraded, "--format", "html", "--out", str(out))
    html = out.read_text()
    parser = _Resources()
    parser.feed(html)
    assert parser.external == []
    assert "Content-Security-Policy" in html and "<svg" in html and "negative covariance" in html
    svgs = html.count("<svg")

    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        pytest.skip("Chromium is not installed (CI installs it: apt-get install chromium)")
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # Page errors (script errors, blocked loads) reach the log as CONSOLE lines.
    assert [line for line in proc.stderr.splitlines() if ":CONSOLE" in line] == []
    match = re.search(r'data-rendered="(\d+)"', proc.stdout)
    assert match is not None, "the page's script did not run"
    assert int(match.group(1)) == svgs >= 3
    assert "Students × exercises" in proc.stdout


def test_report_never_imports_torch(regraded):
    script = ("import sys\nfrom grader.cli import cli\n"
              f"cli.main(['--db', {str(regraded)!r}, 'report', '--format', 'json'], prog_name='grade', "
              "standalone_mode=False)\n"
              "assert 'torch' not in sys.modules, 'torch was imported'\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["students"] == ["ada", "ben", "cy"]


def test_a_students_own_database_shows_their_progress(workspace, runner):
    from grader.engine.results import AttemptResult, TestOutcome
    from grader.store import open_store

    store = open_store(workspace.default_db)
    for started, score in (("2025-01-01T10:00:00+00:00", 0.0), ("2025-01-01T10:01:00+00:00", 5.0)):
        result = AttemptResult("exercise1", "requires-grad", "t", 1, started, duration_s=2.0,
                               tests=[TestOutcome("t", "passed" if score else "failed", score, 5.0)])
        store.record_attempt("tester", result)
    store.close()
    report = json.loads(_report(runner, workspace.default_db, "--format", "json"))
    [row] = report["matrix"]
    cell = row["cells"]["exercise1"]
    assert (row["student"], cell["score"], cell["attempts"], cell["origin"]) == ("tester", 5.0, 2, "self-reported")
    assert report["exercise_stats"][0]["median_time_to_pass_s"] == pytest.approx(62.0)  # 10:00:00 -> 10:01:02
    assert report["regrade"]["bundles"] == 0
    res = runner.invoke(cli, ["report"])  # in the workspace: its own database by default
    assert res.exit_code == 0 and "tester" in res.output and "5/5*" in res.output


def test_a_report_on_an_empty_database_says_how_to_fill_it(runner, tmp_path):
    text = _report(runner, tmp_path / "empty.db")
    assert "No students in this database yet" in text and "grade collect" in text
    assert "Students × exercises" not in text  # not five empty tables
