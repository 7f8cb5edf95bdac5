"""Gradebook files from the report (grader.instructor.report): `csv` (everything, one row per
student), `moodle` (Moodle's CSV grade import) and `canvas` (Canvas's gradebook import).

Each writer reads only the report dict: `exercises` [{name, points}], `matrix` rows
{student, email, student_id, cells {exercise: {score, origin, ...}}, total, max_total, origin}
(plus, for Canvas, lms_id, login and section where the roster gave them), `quiz_best`
{student: {quiz: {score, max_score}}} and `regrade` {bundles, pending}. Every text cell goes
through grader.text.csv_cell, so a name like "=cmd|..." is text, never a formula.

The LMS formats follow what each importer accepts (docs/LMS_FORMATS.md, checked by
tests/lms_rules.py):

- Moodle (Grade administration > Import > CSV file): `Full name`, `Email address`, `ID
  number`, then one numeric column per exercise and quiz. The instructor maps "Email address"
  (or "ID number") to the user field and each grade column to a grade item. An empty cell is
  "no grade". No totals (they would become grade items of their own).
- Canvas (Grades > Import): `Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`, one
  column per exercise and quiz, and a "Points Possible" row under the header, so a column
  Canvas does not know becomes an assignment with the right points.

In a class database (bundles collected), the LMS formats carry regraded scores only: a score
a student reported about themselves never reaches an LMS; a gradebook is refused while a
collected file still awaits `grade regrade`. Every row must carry an identifier the LMS
matches (Moodle: every email, or every ID number; Canvas: an ID or SIS id on every row),
else the file is refused naming the students without one, since Moodle aborts the whole
import on one unmatched row.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from functools import lru_cache

from grader.errors import UsageProblem
from grader.instructor.formats import num
from grader.text import csv_cell, plain

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # as grader.text.csv_cell

FORMATS = ("csv", "moodle", "canvas")
SHOWN = 5  # students named in an error


def quizzes_taken(report: dict) -> list[str]:
    return sorted({q for scores in report["quiz_best"].values() for q in scores})


def quiz_names(report: dict) -> list[str]:
    """The quizzes with a column in an LMS file: those taken, and where the report says which
    quizzes the course has ("course_quizzes"), only those: a quiz name is a bundle's claim, and
    an LMS would make an assignment of any column."""
    taken = set(quizzes_taken(report))
    if report.get("course_quizzes") is not None:
        taken &= set(report["course_quizzes"])
    return sorted(taken)


def quiz_points(report: dict, quiz: str) -> float | None:
    """A quiz's maximum: the one most students' attempts recorded (a bundle's maximum is its own
    claim; the majority's is the quiz's), the larger on a tie."""
    counts = Counter(s[quiz]["max_score"] for s in report["quiz_best"].values()
                     if quiz in s and s[quiz].get("max_score"))
    if not counts:
        return None
    top = max(counts.values())
    return max(v for v, n in counts.items() if n == top)


# Scores repeat across a class: format each value once (10,000 students x 15 exercises).
_num = lru_cache(maxsize=4096)(num)


def _in_range(score, top) -> str:
    """A score for an LMS grade column, or "" where there is none or it lies outside 0..top
    (a claim no import should carry: Moodle would abort the whole file on it)."""
    if score is None or score < 0 or (top is not None and score > top + 1e-9):
        return ""
    return _num(score)


def _writer(out: io.StringIO):
    return csv.writer(out, lineterminator="\n")


def _text(value) -> str:
    """A text cell: control characters and newlines removed, formula characters neutralised."""
    if value is None:
        return ""
    if isinstance(value, str) and value.isprintable() and value == value.strip() \
            and not value.startswith(FORMULA_START):
        return value  # the usual name or email: nothing to neutralise (isprintable: no controls)
    return csv_cell(plain(value, newlines=False).strip())


# --- csv: everything --------------------------------------------------------------------------

def csv_header(report: dict) -> list[str]:
    quizzes = [plain(f"quiz:{q}", newlines=False) for q in quizzes_taken(report)]
    return (["student", "email", "student_id"] + [e["name"] for e in report["exercises"]]
            + ["exercises_total", "exercises_max"] + quizzes + ["scores_from"])


def render_csv(report: dict) -> str:
    """One row per student: name, email, student id, each exercise's score (regraded where
    available, see scores_from), total and maximum, each quiz's best complete attempt."""
    quizzes = quizzes_taken(report)
    names = [e["name"] for e in report["exercises"]]
    quiz_best, no_quizzes = report["quiz_best"], {}
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(csv_header(report))
    for row in report["matrix"]:
        cells = row["cells"]
        best = quiz_best.get(row["student"], no_quizzes)
        writer.writerow(
            [_text(row["student"]), _text(row.get("email")), _text(row.get("student_id"))]
            + [_num(cells[name]["score"]) for name in names]
            + [_num(row["total"]), _num(row["max_total"])]
            + [_num(best[q]["score"]) if q in best else "" for q in quizzes]
            + [_text(row.get("origin") or "")]
        )
    return out.getvalue()


# --- what both LMS formats share -------------------------------------------------------------

def _lms_scores(report: dict) -> tuple[list[str], list[tuple[dict, list[str]]]]:
    """Grade column headers, and per matrix row the grade cells (regraded scores only in a
    class database)."""
    regrade = report.get("regrade") or {}
    class_db = bool(regrade.get("bundles"))
    if class_db and regrade.get("pending"):
        waiting = [f"{plain(r['student'], newlines=False)} {name}" for r in report["matrix"]
                   for name, c in r["cells"].items() if c.get("awaiting_regrade")]
        shown = ", ".join(waiting[:SHOWN]) + (" ..." if len(waiting) > SHOWN else "")
        raise UsageProblem(f"{regrade['pending']} collected file(s) await 'grade regrade' ({shown}); run it "
                           "first: an LMS gradebook carries regraded scores only.")
    quizzes = quiz_names(report)
    header = [e["name"] for e in report["exercises"]] + [f"quiz:{q}" for q in quizzes]
    rows = []
    matrix = report["matrix"]
    if any(r.get("on_roster") for r in matrix):
        # A roster was collected with: the LMS knows its students only. Others are left out if
        # they have nothing to import; a graded student off the roster is not dropped silently.
        graded_off = [r for r in matrix if not r.get("on_roster") and r.get("origin")]
        if graded_off:
            names = [plain(r["student"], newlines=False) for r in graded_off]
            raise UsageProblem(f"{len(names)} student(s) with scores are not on the roster "
                               f"({', '.join(names[:SHOWN])}{' ...' if len(names) > SHOWN else ''}), so the LMS "
                               "could not match their rows. Collect again with a roster that lists them, or undo "
                               "the bundle changes that made them (grade collect --log).")
        matrix = [r for r in matrix if r.get("on_roster")]
    tops = {q: quiz_points(report, q) for q in quizzes}
    exercises = [(e["name"], e["points"]) for e in report["exercises"]]
    quiz_best, no_quizzes = report["quiz_best"], {}
    for row in matrix:
        row_cells = row["cells"]
        cells = []
        for name, points in exercises:
            cell = row_cells[name]
            origin = cell.get("origin")
            if origin == "regrade" or (origin and not class_db):
                cells.append(_in_range(cell.get("score"), cell.get("max_score") or points))
            else:
                cells.append("")
        best = quiz_best.get(row["student"], no_quizzes)
        cells += [_in_range(best[q]["score"], tops[q]) if q in best else "" for q in quizzes]
        rows.append((row, cells))
    return header, rows


def _without(rows: list[dict], what: str, fix: str) -> UsageProblem:
    names = [plain(r["student"], newlines=False) for r in rows]
    shown = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
    return UsageProblem(f"{len(names)} student(s) have no {what} ({shown}), so the LMS could not match "
                        f"their rows. {fix}")


def _repeated(rows: list[dict], key: str, fold: bool = False) -> list[str]:
    seen: dict[str, int] = {}
    for r in rows:
        v = (r.get(key) or "").strip()
        if v:
            v = v.casefold() if fold else v
            seen[v] = seen.get(v, 0) + 1
    return [v for v, n in seen.items() if n > 1]


# --- Moodle -----------------------------------------------------------------------------------

MOODLE_IDENTITY = ["Full name", "Email address", "ID number"]


def render_moodle(report: dict) -> str:
    """Moodle's CSV grade import: identity columns, then one numeric column per exercise and quiz."""
    header, rows = _lms_scores(report)
    matrix = [r for r, _ in rows]
    complete = [key for key, fold in (("email", True), ("student_id", False))
                if all((r.get(key) or "").strip() for r in matrix) and not _repeated(matrix, key, fold)]
    if matrix and not complete:
        missing = [r for r in matrix if not (r.get("email") or "").strip()]
        if missing:
            raise _without(missing, "email address",
                           "Give every student one: grade collect --roster ROSTER.csv (or students run "
                           "grade whoami --email and submit again).")
        twice = _repeated(matrix, "email", True)
        raise UsageProblem(f"Two or more students share the email {plain(twice[0], newlines=False)}; Moodle "
                           "would give one of them the other's grades. Collect with --roster to fix who is who.")
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(MOODLE_IDENTITY + header)
    for row, cells in rows:
        writer.writerow([_text(row["student"]), _text(row.get("email")), _text(row.get("student_id"))] + cells)
    return out.getvalue()


# --- Canvas -----------------------------------------------------------------------------------

CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def _canvas_name(name: str) -> str:
    # Canvas reads any row whose first field contains "Points Possible" as the points row.
    return name.replace("Points Possible", "Points-Possible")


def render_canvas(report: dict) -> str:
    """Canvas's gradebook import: identity columns, a Points Possible row, one numeric column
    per exercise and quiz."""
    header, rows = _lms_scores(report)
    matrix = [r for r, _ in rows]

    def canvas_id(r: dict) -> str:
        value = (r.get("lms_id") or "").strip()
        return value if value.isascii() and value.isdigit() else ""

    unmatched = [r for r in matrix if not (canvas_id(r) or (r.get("student_id") or "").strip()
                                            or (r.get("login") or "").strip())]
    if unmatched:
        raise _without(unmatched, "Canvas ID or SIS id",
                       "Collect with --roster pointing at Canvas's gradebook export (Grades > Export), "
                       "or ask students for their student id (grade whoami --id) and collect again.")
    for key in ("lms_id", "student_id", "login"):
        twice = _repeated(matrix, key, key == "login")
        if twice:
            raise UsageProblem(f"Two or more students share the {key.replace('_', ' ')} "
                               f"{plain(twice[0], newlines=False)}; Canvas would give one of them the other's "
                               "grades. Collect with --roster to fix who is who.")
    points = ([num(e["points"]) for e in report["exercises"]]
              + [num(quiz_points(report, q)) for q in quiz_names(report)])
    out = io.StringIO()
    writer = _writer(out)
    writer.writerow(CANVAS_IDENTITY + header)
    writer.writerow(["    Points Possible", "", "", "", ""] + points)
    for row, cells in rows:
        writer.writerow([_text(_canvas_name(row["student"])), canvas_id(row), _text(row.get("student_id")),
                         _text(row.get("login")), _text(row.get("section"))] + cells)
    return out.getvalue()


def render(report: dict, fmt: str) -> str:
    return {"csv": render_csv, "moodle": render_moodle, "canvas": render_canvas}[fmt](report)
