"""Gradebooks an LMS imports: `grade report --format csv | moodle | canvas`.

The Moodle and Canvas files are checked with tests/lms_rules.py, written from each platform's
own import code and documentation (docs/LMS_FORMATS.md), independently of the grader. Expected
scores are the hand-worked ones of test_bundles_support.py (ada 5/4/4, ben 5/0/0, cy 1/4/4;
best quiz attempts 3, 4 and 1 of 4).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from grader import course
from grader.cli import cli
from grader.errors import UsageProblem
from grader.instructor.gradebook import render_canvas, render_csv, render_moodle
from lms_rules import canvas_csv_problems, moodle_csv_problems
from test_bundles_support import STUDENTS, make_bundle

ROSTER = """Full name,Email address,ID number,Canvas ID,Username,Section
Ada Lovelace,ada@example.org,S1,101,ada,Sec A
Ben Bell,ben@example.org,S2,102,ben,Sec A
Cy Young,cy@example.org,S3,103,cy,Sec B
Dee Dee,dee@example.org,S4,104,dee,Sec B
"""
EXERCISES = [e.name for e in course.load().exercises]
LATER = [""] * (len(EXERCISES) - 3)  # exercise4 onwards: no submission in these bundles


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("gradebook")
    roster = folder / "roster.csv"
    roster.write_text(ROSTER)
    files = []
    for student in ("ada", "ben", "cy"):
        target = folder / "mail" / f"{student}@example.org" / "submission.zip"
        target.parent.mkdir(parents=True)
        recap = [{**q, "quiz": "recap"} for q in STUDENTS[student]["quizzes"]]  # a quiz of the course
        files.append(shutil.move(make_bundle(folder, student, quizzes=recap), target))
    db = folder / "class.db"
    res = CliRunner().invoke(cli, ["--db", str(db), "collect", "--roster", str(roster), *map(str, files)])
    assert res.exit_code == 0 and "Missing (1, no bundle yet): Dee Dee <dee@example.org>" in res.output, res.output
    return db


@pytest.fixture(scope="module")
def regraded(collected, sandbox, tmp_path_factory) -> Path:
    from grader.instructor.regrade import regrade
    from grader.store import open_store

    db = tmp_path_factory.mktemp("gradebook-regraded") / "class.db"
    shutil.copyfile(collected, db)
    store = open_store(db)
    summary = regrade(store, course.load(), workers=1, sandbox=sandbox)
    store.close()
    assert (summary.graded, summary.errors) == (9, [])
    return db


def _report(runner, db: Path, fmt: str):
    return runner.invoke(cli, ["--db", str(db), "report", "--format", fmt])


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_has_email_and_student_id_columns(regraded, runner):
    res = _report(runner, regraded, "csv")
    assert res.exit_code == 0, res.output
    rows = _rows(res.output)
    assert rows[0] == ["student", "email", "student_id", *EXERCISES, "exercises_total", "exercises_max",
                       "quiz:recap", "scores_from"]
    assert [r[:6] + r[-2:] for r in rows[1:]] == [
        ["Ada Lovelace", "ada@example.org", "S1", "5", "4", "4", "3", "regrade"],
        ["Ben Bell", "ben@example.org", "S2", "5", "0", "0", "4", "regrade"],
        ["Cy Young", "cy@example.org", "S3", "1", "4", "4", "1", "regrade"],
        ["Dee Dee", "dee@example.org", "S4", "", "", "", "", ""],
    ]


def test_moodle_file_is_what_moodles_grade_import_takes(regraded, runner, tmp_path):
    out = tmp_path / "moodle.csv"
    res = runner.invoke(cli, ["--db", str(regraded), "report", "--format", "moodle", "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert moodle_csv_problems(text) == []
    rows = _rows(text)
    # Identity columns, then exactly one numeric column per exercise and quiz: no totals.
    assert rows[0] == ["Full name", "Email address", "ID number", *EXERCISES, "quiz:recap"]
    assert rows[1:] == [
        ["Ada Lovelace", "ada@example.org", "S1", "5", "4", "4", *LATER, "3"],
        ["Ben Bell", "ben@example.org", "S2", "5", "0", "0", *LATER, "4"],
        ["Cy Young", "cy@example.org", "S3", "1", "4", "4", *LATER, "1"],
        ["Dee Dee", "dee@example.org", "S4", "", "", "", *LATER, ""],
    ]


def test_canvas_file_is_what_canvas_gradebook_import_takes(regraded, runner):
    res = _report(runner, regraded, "canvas")
    assert res.exit_code == 0, res.output
    assert canvas_csv_problems(res.output) == []
    rows = _rows(res.output)
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *EXERCISES, "quiz:recap"]
    points = [f"{e.points:g}" for e in course.load().exercises]
    assert rows[1] == ["    Points Possible", "", "", "", "", *points, "4"]
    assert rows[2:] == [
        ["Ada Lovelace", "101", "S1", "ada", "Sec A", "5", "4", "4", *LATER, "3"],
        ["Ben Bell", "102", "S2", "ben", "Sec A", "5", "0", "0", *LATER, "4"],
        ["Cy Young", "103", "S3", "cy", "Sec B", "1", "4", "4", *LATER, "1"],
        ["Dee Dee", "104", "S4", "dee", "Sec B", "", "", "", *LATER, ""],
    ]


def test_lms_gradebooks_wait_for_the_regrade(collected, runner):
    """Before regrading, the only scores are what students reported about themselves."""
    for fmt in ("moodle", "canvas"):
        res = _report(runner, collected, fmt)
        assert res.exit_code == 2
        assert "9 collected file(s) await 'grade regrade' (Ada Lovelace exercise1," in res.output
        assert "an LMS gradebook carries regraded scores only" in res.output


# --- the writers, from a report dict ------------------------------------------------------------

def _report_dict(students: list[dict], *, bundles: int = 1) -> dict:
    exercises = [{"name": "exercise1", "slug": "a", "title": "A", "points": 5},
                 {"name": "exercise2", "slug": "b", "title": "B", "points": 4}]
    matrix = []
    for s in students:
        cells = {e["name"]: {"score": s.get("score", 3.0), "max_score": e["points"], "passed": False,
                             "origin": s.get("origin", "regrade"), "awaiting_regrade": False}
                 for e in exercises}
        matrix.append({"student": s["student"], "email": s.get("email", ""), "student_id": s.get("student_id", ""),
                       "lms_id": s.get("lms_id", ""), "login": s.get("login", ""), "section": s.get("section", ""),
                       "cells": cells, "total": 6.0, "max_total": 9.0, "origin": s.get("origin", "regrade")})
    return {"exercises": exercises, "matrix": matrix, "quiz_best": {},
            "regrade": {"bundles": bundles, "regraded": len(matrix) * 2, "pending": 0}}


HOSTILE = ["=cmd|' /C calc'!A0", "@SUM(A1:A9)", "+1+1", "-2+3", "\tTAB", "\rCR", "Points Possible Pete",
           "Ann\nLee", "[bold]rich[/bold]", "Lee, \"Ann\""]


def test_hostile_names_are_text_in_every_gradebook_and_no_row_is_lost():
    students = [{"student": name, "email": f"s{i}@example.org", "student_id": f"S{i}", "lms_id": str(100 + i)}
                for i, name in enumerate(HOSTILE)]
    report = _report_dict(students)
    for render, check in ((render_moodle, moodle_csv_problems), (render_canvas, canvas_csv_problems),
                          (render_csv, None)):
        text = render(report)
        if check is not None:
            assert check(text) == [], (render.__name__, check(text))
        rows = _rows(text)
        people = [r for r in rows[1:] if "Points Possible" != r[0].strip()]
        assert len(people) == len(HOSTILE), render.__name__  # one row per student, none swallowed
        for r in people:
            assert r[0][:1] not in ("=", "+", "-", "@", "\t", "\r"), (render.__name__, r[0])
            assert "\n" not in r[0] and "\r" not in r[0]
        names = [r[0] for r in people]
        assert "'=cmd|' /C calc'!A0" in names and "[bold]rich[/bold]" in names and "Lee, \"Ann\"" in names


def test_self_reported_scores_never_reach_an_lms_from_a_class_database():
    report = _report_dict([{"student": "ada", "email": "a@example.org", "lms_id": "1", "origin": "self-reported",
                            "score": 4.0}])
    assert _rows(render_moodle(report))[1] == ["ada", "a@example.org", "", "", ""]
    # A student's own database (no bundles): their own scores are all there is.
    own = _report_dict([{"student": "ada", "email": "a@example.org", "origin": "self-reported", "score": 4.0}],
                       bundles=0)
    assert _rows(render_moodle(own))[1] == ["ada", "a@example.org", "", "4", "4"]
    # A score above the exercise's points is no grade (Moodle would abort the whole import on it).
    own["matrix"][0]["cells"]["exercise2"]["score"] = 5.0
    assert _rows(render_moodle(own))[1] == ["ada", "a@example.org", "", "4", ""]


def test_rows_the_lms_could_not_match_refuse_the_file_naming_the_students():
    nobody = _report_dict([{"student": "ada", "email": "a@example.org"}, {"student": "ben"}, {"student": "cy"}])
    with pytest.raises(UsageProblem, match=r"2 student\(s\) have no email address \(ben, cy\).*--roster"):
        render_moodle(nobody)
    # Every student has an ID number instead: Moodle can map that column.
    by_number = _report_dict([{"student": "ada", "student_id": "S1"}, {"student": "ben", "student_id": "S2"}])
    assert moodle_csv_problems(render_moodle(by_number)) == []
    with pytest.raises(UsageProblem, match=r"2 student\(s\) have no Canvas ID or SIS id \(ben, cy\)"):
        render_canvas(_report_dict([{"student": "ada", "lms_id": "7"}, {"student": "ben"}, {"student": "cy"}]))
    twice = _report_dict([{"student": "ada", "email": "x@example.org"}, {"student": "ben", "email": "X@example.org"}])
    with pytest.raises(UsageProblem, match="share the email x@example.org"):
        render_moodle(twice)
    with pytest.raises(UsageProblem, match="share the student id S1"):
        render_canvas(_report_dict([{"student": "ada", "student_id": "S1"}, {"student": "ben", "student_id": "S1"}]))


def test_an_empty_class_gives_a_header_only(tmp_path, runner):
    for fmt, first in (("moodle", "Full name"), ("canvas", "Student"), ("csv", "student")):
        res = _report(runner, tmp_path / "empty.db", fmt)
        assert res.exit_code == 0, res.output
        assert _rows(res.output)[0][0] == first


def test_a_hostile_bundle_reaches_every_gradebook_as_text(tmp_path, runner, sandbox):
    """From the bundle to the LMS file: a name that is a formula, a student id that is one, and
    a student named like Canvas's points row, collected, regraded and exported."""
    from grader.instructor.bundle import write_bundle
    from test_bundles_support import sources

    db = tmp_path / "class.db"
    people = [("=cmd|' /C calc'!A0", "@S1", "evil@example.org"), ("Points Possible Pete", "S2", "pete@example.org"),
              ("[bold red]Ann[/]", "S3", "ann@example.org")]
    files = [write_bundle(tmp_path / f"b{i}.zip", student=name, student_id=sid, email=email, grader_version="0.1.0",
                          created_at="2099-01-01T00:00:00+00:00", sources=sources(("stub", "stub", "stub")),
                          progress={"attempts": [], "hints": []}, quizzes={"attempts": []})
             for i, (name, sid, email) in enumerate(people)]
    assert runner.invoke(cli, ["--db", str(db), "collect", *map(str, files)]).exit_code == 0
    res = runner.invoke(cli, ["--db", str(db), "regrade", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    for fmt, check in (("moodle", moodle_csv_problems), ("canvas", canvas_csv_problems), ("csv", None)):
        res = _report(runner, db, fmt)
        assert res.exit_code == 0, res.output
        if check is not None:
            assert check(res.output) == [], (fmt, check(res.output))
        rows = [r for r in _rows(res.output)[1:] if r[0].strip() != "Points Possible"]
        assert sorted(r[0] for r in rows) == sorted(["'=cmd|' /C calc'!A0", "[bold red]Ann[/]",
                                                     "Points-Possible Pete" if fmt == "canvas"
                                                     else "Points Possible Pete"]), fmt
        assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for r in rows for cell in r), fmt


def test_with_a_roster_the_lms_files_list_its_students_only():
    report = _report_dict([{"student": "Ada Lovelace", "email": "ada@example.org"},
                           {"student": "ada", "email": "ada@gmail.com", "origin": None, "score": None}])
    report["matrix"][0]["on_roster"] = True
    assert [r[0] for r in _rows(render_moodle(report))[1:]] == ["Ada Lovelace"]  # 'ada' has nothing to import
    report["matrix"][1]["origin"] = "regrade"
    with pytest.raises(UsageProblem, match=r"1 student\(s\) with scores are not on the roster \(ada\)"):
        render_moodle(report)


def test_lms_files_carry_course_quizzes_only_and_no_score_out_of_range():
    report = _report_dict([{"student": s, "email": f"{s}@example.org", "student_id": s.upper()}
                           for s in ("ada", "ben", "cy")])
    report["course_quizzes"] = ["recap", "myths"]
    report["quiz_best"] = {
        "ada": {"recap": {"score": 3.0, "max_score": 4.0}, "Final Project (12345)": {"score": 9.0, "max_score": 9.0}},
        "ben": {"recap": {"score": 1000.0, "max_score": 1000.0}},  # a bundle's claim
        "cy": {"recap": {"score": 4.0, "max_score": 4.0}},
    }
    for render, check in ((render_moodle, moodle_csv_problems), (render_canvas, canvas_csv_problems)):
        text = render(report)
        assert check(text) == [], check(text)
        rows = _rows(text)
        assert rows[0][-3:] == ["exercise1", "exercise2", "quiz:recap"]  # no column for a quiz the course lacks
        people = [r for r in rows[1:] if r[0].strip() != "Points Possible"]
        assert [r[-1] for r in people] == ["3", "", "4"]  # ben's 1000 of 4 is no grade
    assert _rows(render_canvas(report))[1][-1] == "4"  # the majority's maximum
    # The spreadsheet keeps everything (as text).
    assert "quiz:Final Project (12345)" in _rows(render_csv(report))[0]
