"""grade collect --roster: each bundle is filed under the roster student its LMS download name
or folder names, never the one it claims to be; unknown and missing students are listed; the
bundle collected last counts, every replacement is logged and can be undone; hostile names
reach no output unneutralised."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from grader.cli import cli
from grader.instructor.bundle import write_bundle
from grader.instructor.roster import identify, read_roster
from grader.errors import UsageProblem
from test_bundles_support import STUDENTS, make_bundle, sources, ts

CANVAS_ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section
    Points Possible,,,,
"Lovelace, Ada",101,S1,ada,Sec A
"Bell, Ben",102,S2,ben,Sec A
"Young, Cy",103,S3,cy,Sec B
"Dee, Dee",104,S4,dee,Sec B
"""

# Moodle's offline grading worksheet (Identifier = "Participant" + the per-assignment id).
MOODLE_ROSTER = """Identifier,Full name,Email address,Status,Grade,Maximum Grade
Participant 5001,Ada Lovelace,ada@example.org,Submitted for grading,,100
Participant 5002,Ben Bell,ben@example.org,Submitted for grading,,100
Participant 5003,Cy Young,cy@example.org,No submission,,100
"""

PLAIN_ROSTER = """name;email;student id
Ada Lovelace;ada@example.org;S1
Ben Bell;ben@example.org;S2
Cy Young;cy@example.org;S3
"""


def _roster(tmp_path: Path, text: str, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _collect(runner, db: Path, *args) -> "object":
    return runner.invoke(cli, ["--db", str(db), "collect", *map(str, args)])


def _store(db: Path):
    from grader.store import open_store

    return open_store(db)


def _current(db: Path) -> dict[str, str]:
    """{student name: file name of their current bundle}."""
    store = _store(db)
    try:
        return {r[0]: r[1] for r in store.db.execute(
            "select s.name, b.file_name from bundles b join students s on s.id = b.student_id "
            "where b.status = 'current'")}
    finally:
        store.close()


def _attempts(db: Path) -> dict[str, int]:
    store = _store(db)
    try:
        return {r[0]: r[1] for r in store.db.execute(
            "select s.name, count(a.id) from students s left join attempts a on a.student_id = s.id group by s.name")}
    finally:
        store.close()


def _placed(bundle: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(bundle, target)
    return target


# --- reading rosters -----------------------------------------------------------------------

def test_canvas_export_moodle_worksheet_and_a_plain_sheet_are_rosters(tmp_path):
    canvas = read_roster(_roster(tmp_path, CANVAS_ROSTER))
    assert [(e.name, e.lms_id, e.student_id, e.login, e.section) for e in canvas.entries] == [
        ("Lovelace, Ada", "101", "S1", "ada", "Sec A"), ("Bell, Ben", "102", "S2", "ben", "Sec A"),
        ("Young, Cy", "103", "S3", "cy", "Sec B"), ("Dee, Dee", "104", "S4", "dee", "Sec B")]  # no Points Possible row
    moodle = read_roster(_roster(tmp_path, "\ufeff" + MOODLE_ROSTER, "worksheet.csv"))
    assert [(e.name, e.email, e.participant) for e in moodle.entries][0] == ("Ada Lovelace", "ada@example.org", "5001")
    plain = read_roster(_roster(tmp_path, PLAIN_ROSTER, "plain.csv"))  # ';'-separated
    assert plain.find("email", "BEN@example.org").name == "Ben Bell"
    assert plain.find("student_id", "S3").name == "Cy Young"


@pytest.mark.parametrize("text, fragment", [
    ("name,notes\nAda,x\n", "no column identifies students"),
    ("name,email\nAda,ada@example.org\nAda2,ADA@example.org\n", "rows 2 and 3 have the same email"),
    ("name,email\nAda,not-an-address\n", "row 2: 'not-an-address' is not an email address"),
    ("name,email,student id\nAda,,\n", "row 2 (Ada) has no email, student id"),
    ("Identifier,Full name\nsomeone,Ada\n", "row 2: Identifier 'someone' is not 'Participant NUMBER'"),
    ("name,email\n", "it lists no students"),
])
def test_a_bad_roster_is_one_error_naming_file_row_and_field(tmp_path, runner, text, fragment):
    path = _roster(tmp_path, text)
    with pytest.raises(UsageProblem) as info:
        read_roster(path)
    assert fragment in str(info.value) and str(info.value).startswith("roster.csv: ")
    res = _collect(runner, tmp_path / "class.db", "--roster", path, make_bundle(tmp_path, "ada"))
    assert res.exit_code == 2 and fragment in res.output and "Traceback" not in res.output


def test_a_roster_that_is_not_utf8_says_how_to_save_it(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("name,email\nZoë,z@example.org\n".encode("latin-1"))
    with pytest.raises(UsageProblem, match="is not UTF-8; save the file as CSV UTF-8"):
        read_roster(path)


# --- where a file came from --------------------------------------------------------------

def test_lms_download_names_identify_the_student(tmp_path):
    canvas = read_roster(_roster(tmp_path, CANVAS_ROSTER))
    moodle = read_roster(_roster(tmp_path, MOODLE_ROSTER, "worksheet.csv"))
    plain = read_roster(_roster(tmp_path, PLAIN_ROSTER, "plain.csv"))
    # Canvas: <sortable name>[_LATE]_<user id>_<attachment id>_<the student's own file name>.
    assert identify(Path("dl/lovelaceada_101_9001_submission-ada.zip"), canvas).entry.name == "Lovelace, Ada"
    assert identify(Path("dl/bellben_LATE_102_9002_submission-ben.zip"), canvas).entry.name == "Bell, Ben"
    # The student's own file name comes after the prefix and cannot move it.
    assert identify(Path("bellben_102_9003_lovelaceada_101_9001_x.zip"), canvas).entry.name == "Bell, Ben"
    anon = identify(Path("anon_x7Kq2_9004_submission.zip"), canvas)
    assert anon.entry is None and "anonymous Canvas download" in anon.why
    stranger = identify(Path("doejohn_999_9005_submission.zip"), canvas)
    assert stranger.entry is None and "user id 999, which is not in the roster's ID column" in stranger.why
    # Moodle: a folder per student (default since 3.1) or a prefixed file; participant ids from
    # the grading worksheet; by full name where the roster has no Identifier column.
    folder = Path("dl/Ben Bell_5002_assignsubmission_file/submission-ben.zip")
    assert identify(folder, moodle).entry.name == "Ben Bell" and identify(folder, moodle).how == "Moodle download name"
    assert identify(Path("Ada Lovelace_5001_assignsubmission_file_Ben Bell_5002_assignsubmission_file_x.zip"),
                    moodle).entry.name == "Ada Lovelace"
    assert identify(Path("Participant_5003_assignsubmission_file_mine.zip"), moodle).entry.name == "Cy Young"
    assert identify(folder, plain).entry.name == "Ben Bell"  # by name
    # Folders named after the student's email or student id.
    assert identify(Path("mail/cy@example.org/submission.zip"), plain).entry.name == "Cy Young"
    assert identify(Path("mail/S1.zip"), plain).entry.name == "Ada Lovelace"
    # The name `grade submit` gave the file is the student's, not evidence.
    nothing = identify(Path("inbox/submission-ada.zip"), plain)
    assert nothing.entry is None and "nothing in its file or folder name names a roster student" in nothing.why
    clash = identify(Path("ada@example.org/Ben Bell_5002_assignsubmission_file_x.zip"), plain)
    assert clash.entry is None and "its names disagree" in clash.why


# --- collect --roster ------------------------------------------------------------------------

def _canvas_download(tmp_path: Path) -> list[Path]:
    dl = tmp_path / "canvas"
    return [_placed(make_bundle(tmp_path, "ada"), dl / "lovelaceada_101_9001_submission-ada.zip"),
            _placed(make_bundle(tmp_path, "ben"), dl / "bellben_LATE_102_9002_submission-ben.zip"),
            _placed(make_bundle(tmp_path, "cy"), dl / "youngcy_103_9003_submission-cy.zip")]


def test_collect_files_bundles_under_roster_students_and_lists_who_is_missing(tmp_path, runner):
    db = tmp_path / "class.db"
    roster = _roster(tmp_path, CANVAS_ROSTER)
    res = _collect(runner, db, "--roster", roster, *_canvas_download(tmp_path))
    assert res.exit_code == 0, res.output
    assert ("lovelaceada_101_9001_submission-ada.zip: collected for Lovelace, Ada, named by its Canvas download "
            "name: 3 exercise file(s), 4 self-reported attempt(s), 1 quiz attempt(s).") in res.output
    assert "Roster: 4 students, 3 with a bundle." in res.output
    assert "Missing (1, no bundle yet): Dee, Dee" in res.output
    assert _current(db) == {"Lovelace, Ada": "lovelaceada_101_9001_submission-ada.zip",
                            "Bell, Ben": "bellben_LATE_102_9002_submission-ben.zip",
                            "Young, Cy": "youngcy_103_9003_submission-cy.zip"}
    assert _attempts(db) == {"Lovelace, Ada": 4, "Bell, Ben": 5, "Young, Cy": 3, "Dee, Dee": 0}
    store = _store(db)
    people = store.student_identities()
    store.close()
    assert people["Bell, Ben"] == {"email": "", "student_id": "S2", "lms_id": "102", "login": "ben", "section": "Sec A",
                                   "on_roster": True}
    res = _collect(runner, db, "--roster", roster, *sorted((tmp_path / "canvas").glob("*.zip")))
    assert res.exit_code == 0 and res.output.count("nothing changed") == 3  # idempotent


def test_a_bundle_nothing_identifies_is_listed_and_not_imported(tmp_path, runner):
    db = tmp_path / "class.db"
    roster = _roster(tmp_path, PLAIN_ROSTER)
    inbox = make_bundle(tmp_path, "ada")  # ada-150000.zip: the student's own name for it
    filed = _placed(make_bundle(tmp_path, "ben"), tmp_path / "mail" / "ben@example.org" / "ben.zip")
    res = _collect(runner, db, "--roster", roster, inbox, filed)
    assert res.exit_code == 0, res.output
    assert "ada-150000.zip: not imported: nothing in its file or folder name names a roster student" in res.output
    assert "It claims to be ada; its own claim does not choose the student." in res.output
    assert "put it in a folder named after the student's email (or student id)" in res.output
    assert "Not imported (1): ada-150000.zip" in res.output
    claims = write_bundle(tmp_path / "from-cy.zip", student="cy", email="CY@example.org", grader_version="0.1.0",
                          created_at=ts("15:00:00"), sources=sources(("stub",) * 3),
                          progress={"attempts": [], "hints": []}, quizzes={"attempts": []})
    res = _collect(runner, db, "--roster", roster, claims)
    assert ("It claims to be cy <CY@example.org> (on the roster as Cy Young <cy@example.org>); its own claim does "
            "not choose the student. If you know who sent it, put it in a folder named cy@example.org") in res.output
    assert "Missing (2, no bundle yet): Ada Lovelace <ada@example.org>; Cy Young <cy@example.org>" in res.output
    assert _current(db) == {"Ben Bell": "ben.zip"}


def test_a_hostile_bundle_cannot_take_another_students_place(tmp_path, runner):
    """Ben's upload claims to be Ada (her name, email and student id) and says it was made in
    2099. It is filed under Ben, flagged, and Ada's genuine bundles count as hers, the later
    one replacing the earlier (not refused as 'older')."""
    db = tmp_path / "class.db"
    roster = _roster(tmp_path, "name,email,student id,ID\nAda Lovelace,ada@example.org,S1,101\n"
                               "Ben Bell,ben@example.org,S2,102\n")
    genuine = _placed(make_bundle(tmp_path, "ada"), tmp_path / "dl1" / "lovelaceada_101_9001_ada.zip")
    forged = write_bundle(tmp_path / "dl1" / "bellben_102_9002_ada.zip", student="Ada Lovelace",
                          email="ada@example.org", student_id="S1", grader_version="0.1.0",
                          created_at="2099-01-01T00:00:00+00:00", sources=sources(("stub", "stub", "stub")),
                          progress={"attempts": [], "hints": []}, quizzes={"attempts": []})
    res = _collect(runner, db, "--roster", roster, genuine, forged)
    assert res.exit_code == 0, res.output
    assert ("Warning: it claims to be Ada Lovelace <ada@example.org>, but the Canvas download name gives it to "
            "Ben Bell <ben@example.org>") in res.output
    assert _current(db) == {"Ada Lovelace": "lovelaceada_101_9001_ada.zip", "Ben Bell": "bellben_102_9002_ada.zip"}
    later = _placed(make_bundle(tmp_path, "ada", created="16:00:00"), tmp_path / "dl2" / "lovelaceada_101_9010_ada.zip")
    res = _collect(runner, db, "--roster", roster, later)
    assert res.exit_code == 0 and "It replaces bundle #1 (lovelaceada_101_9001_ada.zip" in res.output
    assert _current(db)["Ada Lovelace"] == "lovelaceada_101_9010_ada.zip"
    assert _attempts(db) == {"Ada Lovelace": 4, "Ben Bell": 0}


def test_without_a_roster_a_claim_cannot_take_an_email_or_id_another_student_has(tmp_path, runner):
    db = tmp_path / "class.db"
    ada = write_bundle(tmp_path / "ada.zip", student="ada", email="ada@example.org", student_id="S1",
                       grader_version="0.1.0", created_at=ts("15:00:00"), sources=sources(("solution",) * 3),
                       progress={"attempts": STUDENTS["ada"]["attempts"], "hints": []}, quizzes={"attempts": []})
    assert _collect(runner, db, ada).exit_code == 0
    impostor = write_bundle(tmp_path / "mallory.zip", student="ada", email="mallory@example.org",
                            grader_version="0.1.0", created_at="2099-01-01T00:00:00+00:00",
                            sources=sources(("stub",) * 3), progress={"attempts": [], "hints": []},
                            quizzes={"attempts": []})
    borrowed = write_bundle(tmp_path / "mallory2.zip", student="mallory", student_id="S1",
                            grader_version="0.1.0", created_at=ts("15:00:00"), sources=sources(("stub",) * 3),
                            progress={"attempts": [], "hints": []}, quizzes={"attempts": []})
    res = _collect(runner, db, impostor, borrowed)
    assert res.exit_code == 0, res.output
    assert ("mallory.zip: not imported: it claims email 'mallory@example.org', but ada already has "
            "'ada@example.org'; collect with --roster to decide who is who.") in res.output
    assert "mallory2.zip: not imported: its student id 'S1' belongs to ada" in res.output
    assert _current(db) == {"ada": "ada.zip"} and _attempts(db)["ada"] == 4


def test_bundles_collected_before_the_roster_go_to_its_students(tmp_path, runner):
    # Canvas download names gave the students' Canvas ids: the roster adopts those students.
    db = tmp_path / "canvas.db"
    files = _canvas_download(tmp_path)
    assert _collect(runner, db, *files).exit_code == 0
    assert set(_current(db)) == {"ada", "ben", "cy"}
    res = _collect(runner, db, "--roster", _roster(tmp_path, CANVAS_ROSTER), *files)
    assert res.exit_code == 0 and res.output.count("nothing changed") == 3, res.output
    assert set(_current(db)) == {"Lovelace, Ada", "Bell, Ben", "Young, Cy"}
    # Filed by their own claim: the roster's evidence moves them, logged on both sides.
    db = tmp_path / "mail.db"
    files = [_placed(make_bundle(tmp_path, s), tmp_path / "mail" / f"{s}@example.org" / "b.zip")
             for s in ("ada", "ben")]
    assert _collect(runner, db, *files).exit_code == 0
    assert set(_current(db)) == {"ada", "ben"}
    res = _collect(runner, db, "--roster", _roster(tmp_path, PLAIN_ROSTER), *files)
    assert res.exit_code == 0, res.output
    assert ("b.zip: collected (moved from the student it claimed) for Ada Lovelace, named by its folder name: "
            "3 exercise file(s), 4 self-reported attempt(s)") in res.output
    assert set(_current(db)) == {"Ada Lovelace", "Ben Bell"}
    counts = _attempts(db)
    assert (counts["Ada Lovelace"], counts["ada"]) == (4, 0)
    res = _collect(runner, db, "--log")
    assert "ada: moved: #1 b.zip -> no bundle" in res.output
    assert "Ada Lovelace: moved: no bundle -> #1 b.zip   (undo: grade collect --undo" in res.output
    moved_away = re.search(r"^#(\d+) .* ada: moved:", res.output, re.M).group(1)
    res = _collect(runner, db, "--undo", moved_away)
    assert res.exit_code == 2 and "Bundle #1 has since been filed under another student by the roster" in res.output


def test_moodle_download_folders_with_the_grading_worksheet(tmp_path, runner):
    db = tmp_path / "class.db"
    roster = _roster(tmp_path, MOODLE_ROSTER)
    dl = tmp_path / "moodle"
    files = [_placed(make_bundle(tmp_path, "ada"), dl / "Ada Lovelace_5001_assignsubmission_file" / "a.zip"),
             _placed(make_bundle(tmp_path, "cy"), dl / "Participant_5003_assignsubmission_file_c.zip")]
    res = _collect(runner, db, "--roster", roster, *files)
    assert res.exit_code == 0, res.output
    assert _current(db) == {"Ada Lovelace": "a.zip", "Cy Young": "Participant_5003_assignsubmission_file_c.zip"}
    assert "Missing (1, no bundle yet): Ben Bell <ben@example.org>" in res.output


# --- the log, and undo ------------------------------------------------------------------------

def test_every_replacement_is_logged_and_can_be_undone(tmp_path, runner):
    db = tmp_path / "class.db"
    first = make_bundle(tmp_path, "ben")
    second = make_bundle(tmp_path, "ben", created="16:00:00", attempts=STUDENTS["ben"]["attempts"][:2],
                         hints=[], quizzes=[])
    assert _collect(runner, db, first).exit_code == 0
    res = _collect(runner, db, second)
    assert "It replaces bundle #1 (ben-150000.zip" in res.output and "Undo: grade collect --undo 2" in res.output
    assert _attempts(db)["ben"] == 2

    log = _collect(runner, db, "--log")
    assert log.exit_code == 0
    lines = log.output.splitlines()
    assert re.match(r"#1  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d  by \S+  ben: collected: no bundle -> #1 ben-150000.zip$",
                    lines[0]), lines[0]
    assert lines[1].endswith("ben: replaced: #1 ben-150000.zip -> #2 ben-160000.zip   (undo: grade collect --undo 2)")

    refused = _collect(runner, db, "--undo", "1")
    assert refused.exit_code == 2 and "Change #1 is not this student's latest (#2 came after it)" in refused.output

    res = _collect(runner, db, "--undo", "2")
    assert res.exit_code == 0, res.output
    assert "Undid change #2: ben now has bundle #1 (ben-150000.zip). Logged as change #3" in res.output
    assert _current(db) == {"ben": "ben-150000.zip"}
    assert _attempts(db)["ben"] == 5  # its rows are back
    store = _store(db)
    assert store.db.execute("select count(*) from hint_uses").fetchone()[0] == 2
    assert store.db.execute("select count(*) from quiz_attempts").fetchone()[0] == 2
    store.close()

    # The undo is a change of its own: undoing it brings the second bundle back.
    res = _collect(runner, db, "--undo", "3")
    assert res.exit_code == 0 and "ben now has bundle #2 (ben-160000.zip)" in res.output
    assert _current(db) == {"ben": "ben-160000.zip"} and _attempts(db)["ben"] == 2
    assert _collect(runner, db, "--undo", "99").exit_code == 2


def test_undoing_a_first_collect_withdraws_the_bundle_and_collecting_it_again_files_it_anew(tmp_path, runner):
    db = tmp_path / "class.db"
    misfiled = _placed(make_bundle(tmp_path, "ada"), tmp_path / "mail" / "ben@example.org" / "a.zip")
    roster = _roster(tmp_path, PLAIN_ROSTER)
    assert _collect(runner, db, "--roster", roster, misfiled).exit_code == 0
    assert _current(db) == {"Ben Bell": "a.zip"}
    assert _collect(runner, db, "--undo", "1").exit_code == 0
    assert _current(db) == {} and _attempts(db)["Ben Bell"] == 0
    moved = _placed(misfiled, tmp_path / "mail" / "ada@example.org" / "a.zip")
    res = _collect(runner, db, "--roster", roster, moved)
    assert res.exit_code == 0 and "a.zip: collected again for Ada Lovelace, named by its folder name" in res.output
    assert _current(db) == {"Ada Lovelace": "a.zip"} and _attempts(db)["Ada Lovelace"] == 4


def test_collect_needs_bundles_or_log_or_undo(tmp_path, runner):
    for args in ([], ["--log", "x.zip"], ["--roster", "r.csv"]):
        res = runner.invoke(cli, ["--db", str(tmp_path / "class.db"), "collect", *args])
        assert res.exit_code == 2 and "Pass bundle files" in res.output and "Traceback" not in res.output


# --- hostile text -----------------------------------------------------------------------------

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile_zip(path: Path, member: str) -> Path:
    good = make_bundle(path.parent, "ada")
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[member] = b"x = 1\n"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_hostile_names_reach_no_output_unneutralised(tmp_path, runner):
    db = tmp_path / "class.db"
    name = "[bold red]=cmd|' /C calc'!A0[/]"
    hostile = write_bundle(tmp_path / "h.zip", student=name, email="=cmd|x@example.org", grader_version="0.1.0",
                           created_at="2099-01-01T00:00:00+00:00", sources=sources(("stub",) * 3),
                           progress={"attempts": [], "hints": []}, quizzes={"attempts": []})
    evil_member = _hostile_zip(tmp_path / "evil\x1b[2J.zip", "exercises/x\x1b]0;owned\x07\nOK collected.py")
    res = _collect(runner, db, hostile, evil_member)
    assert res.exit_code == 2
    assert not CONTROL.search(res.output), repr(res.output)
    assert f"collected for {name}, named by its own claim" in res.output  # shown literally, not as markup
    [error] = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert "unexpected file 'exercises/x\\x1b]0;owned\\x07\\x0aOK collected.py'" in error
    assert error.startswith("Error: evil\\x1b[2J.zip is not a valid submission bundle")
    log = _collect(runner, db, "--log")
    assert not CONTROL.search(log.output) and name in log.output


def test_a_name_a_zip_refuses_is_refused_with_its_field(tmp_path):
    """Names with control characters never get into a bundle that collect accepts."""
    from grader.instructor.bundle import BundleError, read_bundle

    path = make_bundle(tmp_path, "ada")
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["student"] = "ada\x1b[31m"
    members["manifest.json"] = json.dumps(manifest).encode()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    with pytest.raises(BundleError, match="manifest.json: student: Value error, must be a printable"):
        read_bundle(bad)
