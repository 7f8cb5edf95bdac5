"""grade submit writes a bundle; grade collect validates untrusted bundles and imports them idempotently."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.cli import cli
from grader import course
from grader.instructor.bundle import BundleError, read_bundle
from test_bundles_support import STUDENTS, class_bundles, make_bundle


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rezip(path: Path, members: dict[str, bytes], *, rehash: bool = True) -> Path:
    """Write `members` to `path`; with rehash, manifest.json lists them with correct hashes."""
    if rehash:
        manifest = json.loads(members["manifest.json"])
        manifest["files"] = {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                             for n, d in members.items() if n != "manifest.json"}
        members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _counts(db_path: Path) -> dict[str, int]:
    from grader.store import open_store

    store = open_store(db_path)
    try:
        return {t: store.db[t].count for t in ("students", "attempts", "hint_uses", "quiz_attempts",
                                               "quiz_responses", "bundles", "bundle_files", "bundle_rows")}
    finally:
        store.close()


# --- submit ------------------------------------------------------------------------------

def test_submit_packs_files_progress_and_quizzes(workspace, runner):
    from grader.engine.results import AttemptResult, Diagnosis, TestOutcome
    from grader.store import open_store

    store = open_store(workspace.default_db)
    result = AttemptResult("exercise1", "requires-grad", "t", 3, "2025-01-01T10:00:00+00:00",
                           tests=[TestOutcome("test_a", "failed", 0.0, 5.0, "no")],
                           diagnoses=[Diagnosis("missing-requires-grad", "m")], duration_s=1.5)
    store.record_attempt("tester", result, source="x = 1\n")
    store.record_attempt("someone-else", result, source="")
    store.record_hint("tester", "exercise1", 1)
    sid = store.student_id("tester")
    qa = store.db["quiz_attempts"].insert({"student_id": sid, "quiz": "basics", "quiz_version": "v1", "seed": 2,
                                           "started_at": "2025-01-01T11:00:00+00:00", "finished_at": None,
                                           "complete": 1, "score": 1.0, "max_score": 1.0, "origin": "local",
                                           "mode": "answers"}).last_pk
    store.db["quiz_responses"].insert({"attempt_id": qa, "position": 0, "question_id": "q1", "kind": "choice",
                                       "shown_order": '["b", "a"]', "chosen": "a", "correct": 1, "score": 1.0,
                                       "max_score": 1.0, "time_s": 2.0, "misconception": None})
    store.close()
    (workspace.exercises / "ex02_inplace.py").write_text("# my work on exercise 2\n")

    res = runner.invoke(cli, ["submit"])
    assert res.exit_code == 0, res.output
    path = workspace.root / "submission-tester.zip"
    assert str(path) in res.output

    bundle = read_bundle(path)
    assert bundle.student == "tester"
    assert bundle.manifest.grader_version == "0.1.0"
    assert sorted(bundle.sources) == sorted(course.load().names())  # every exercise file in the workspace
    assert bundle.source_text("exercise2") == "# my work on exercise 2\n"
    [attempt] = bundle.progress.attempts  # only this student's
    assert (attempt.exercise, attempt.passed, attempt.max_score, attempt.duration_s) == ("exercise1", False, 5.0, 1.5)
    assert [d.code for d in attempt.diagnoses] == ["missing-requires-grad"]
    assert [(h.exercise, h.hint_number) for h in bundle.progress.hints] == [("exercise1", 1)]
    [quiz] = bundle.quizzes.attempts
    assert (quiz.quiz, quiz.score, quiz.responses[0].shown_order, quiz.responses[0].correct) == ("basics", 1.0, ["b", "a"], True)
    manifest = json.loads(_members(path)["manifest.json"])
    assert manifest["files"]["exercises/ex02_inplace.py"]["sha256"] == hashlib.sha256(b"# my work on exercise 2\n").hexdigest()

    out = workspace.root / "elsewhere" / "mine.zip"
    res = runner.invoke(cli, ["submit", "--out", str(out)])
    assert res.exit_code == 0 and out.is_file()


def test_whoami_refuses_what_a_bundle_could_not_carry(workspace, runner):
    for args, fragment in ((["--set", "ada\x1b[31m"], "the name holds a control character"),
                           (["--set", "x" * 101], "the name is longer than 100 characters"),
                           (["--email", "ada at example"], "'ada at example' does not look like an email address"),
                           (["--id", "S\n1"], "the student id holds a control character")):
        res = runner.invoke(cli, ["whoami", *args])
        assert res.exit_code == 2 and fragment in res.output, (args, res.output)
        assert "\x1b" not in res.output
    res = runner.invoke(cli, ["whoami", "--email", "ada@example.org", "--id", "S1", "--json"])
    assert res.exit_code == 0 and json.loads(res.output) == {"name": "tester", "email": "ada@example.org",
                                                             "student_id": "S1"}


def test_a_new_name_takes_the_progress_along(workspace, runner, monkeypatch):
    from grader.engine.results import AttemptResult, TestOutcome
    from grader.store import open_store

    monkeypatch.delenv("GRADER_STUDENT")
    assert runner.invoke(cli, ["whoami", "--set", "first"]).exit_code == 0
    store = open_store(workspace.default_db)
    result = AttemptResult("exercise1", "requires-grad", "t", 3, "2025-01-01T10:00:00+00:00",
                           tests=[TestOutcome("test_a", "passed", 5.0, 5.0, "")], duration_s=1.0)
    store.record_attempt("first", result, source="x = 1\n")
    store.record_hint("first", "exercise1", 1)
    store.close()
    res = runner.invoke(cli, ["whoami", "--set", "Ada Lovelace", "--email", "ada@example.org"])
    assert res.exit_code == 0 and res.output.startswith("Ada Lovelace\n")
    res = runner.invoke(cli, ["submit", "--out", str(workspace.root / "b.zip")])
    assert res.exit_code == 0, res.output
    bundle = read_bundle(workspace.root / "b.zip")
    assert (bundle.student, bundle.manifest.email) == ("Ada Lovelace", "ada@example.org")
    assert len(bundle.progress.attempts) == 1 and len(bundle.progress.hints) == 1


def test_submit_outside_a_workspace_says_how_to_make_one(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["submit"])
    assert res.exit_code == 2
    assert "Error:" in res.output and "grade init" in res.output
    assert "Traceback" not in res.output


def test_submit_and_collect_never_import_torch(workspace, tmp_path):
    bundle = tmp_path / "b.zip"
    db = tmp_path / "class.db"
    script = (
        "import sys\nfrom grader.cli import cli\n"
        f"for args in (['submit', '--out', {str(bundle)!r}], ['--db', {str(db)!r}, 'collect', {str(bundle)!r}]):\n"
        "    try:\n        cli.main(args, prog_name='grade', standalone_mode=False)\n"
        "    except SystemExit:\n        pass\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\nprint('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=workspace.root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("ok")
    assert _counts(db)["bundles"] == 1


# --- validation --------------------------------------------------------------------------

@pytest.fixture
def good_bundle(tmp_path) -> Path:
    return make_bundle(tmp_path, "ada")


def test_valid_bundle_reads_back(good_bundle):
    bundle = read_bundle(good_bundle)
    assert bundle.student == "ada"
    assert len(bundle.progress.attempts) == len(STUDENTS["ada"]["attempts"])
    assert bundle.sha256 == hashlib.sha256(good_bundle.read_bytes()).hexdigest()


def _expect_error(path: Path, fragment: str) -> None:
    with pytest.raises(BundleError) as info:
        read_bundle(path)
    message = str(info.value)
    assert fragment in message
    assert message.startswith(f"{path.name} is not a valid submission bundle")
    assert "\n" not in message


def test_not_a_zip(tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"these are my notes, not a zip")
    _expect_error(path, "not a readable zip file")


def test_path_traversal_is_refused(good_bundle, tmp_path):
    members = _members(good_bundle) | {"../../etc/evil.py": b"boom"}
    _expect_error(_rezip(tmp_path / "evil.zip", members, rehash=False), "unsafe path '../../etc/evil.py'")
    members = _members(good_bundle) | {"/abs/evil.py": b"boom"}
    _expect_error(_rezip(tmp_path / "abs.zip", members, rehash=False), "unsafe path")


def test_edited_file_fails_its_hash(good_bundle, tmp_path):
    members = _members(good_bundle)
    members["exercises/ex01_requires_grad.py"] = b"# quietly edited after submitting\n"
    _expect_error(_rezip(tmp_path / "edited.zip", members, rehash=False), "does not match its SHA-256")


def test_unlisted_and_unexpected_files(good_bundle, tmp_path):
    members = _members(good_bundle) | {"exercises/extra.py": b"x = 1\n"}
    _expect_error(_rezip(tmp_path / "extra.zip", members, rehash=False), "'exercises/extra.py' is not listed")
    members = _members(good_bundle) | {"notes.txt": b"hi"}
    _expect_error(_rezip(tmp_path / "notes.zip", members), "unexpected file 'notes.txt'")
    members = {k: v for k, v in _members(good_bundle).items() if k != "manifest.json"}
    _expect_error(_rezip(tmp_path / "nomanifest.zip", members, rehash=False), "manifest.json is missing")


def test_schema_errors_name_the_field(good_bundle, tmp_path):
    members = _members(good_bundle)
    progress = json.loads(members["progress.json"])
    progress["attempts"][1]["score"] = "lots"
    members["progress.json"] = json.dumps(progress).encode()
    _expect_error(_rezip(tmp_path / "schema.zip", members), "progress.json: attempts[1].score")

    members = _members(good_bundle)
    manifest = json.loads(members["manifest.json"])
    manifest["created_at"] = "yesterday"
    members["manifest.json"] = json.dumps(manifest).encode()
    _expect_error(_rezip(tmp_path / "date.zip", members, rehash=False), "manifest.json: created_at")

    members = _members(good_bundle)
    members["quizzes.json"] = b"{not json"
    _expect_error(_rezip(tmp_path / "json.zip", members), "quizzes.json is not valid JSON")


def test_oversized_member_stops_at_the_limit(good_bundle, tmp_path):
    members = _members(good_bundle)
    members["exercises/ex01_requires_grad.py"] = b"#" * 1_200_000  # compresses to almost nothing
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    assert path.stat().st_size < 100_000
    _expect_error(path, "the limit is 1000000")


def test_symlink_member_is_refused(good_bundle, tmp_path):
    path = _rezip(tmp_path / "link.zip", _members(good_bundle), rehash=False)
    with zipfile.ZipFile(path, "a") as zf:
        info = zipfile.ZipInfo("exercises/link.py")
        info.external_attr = (0o120777 << 16)
        zf.writestr(info, "/etc/passwd")
    _expect_error(path, "is a symbolic link")


# --- collect -----------------------------------------------------------------------------

def test_collect_is_idempotent(tmp_path, runner):
    db = tmp_path / "class.db"
    bundles = class_bundles(tmp_path)
    res = runner.invoke(cli, ["--db", str(db), "collect", *map(str, bundles)])
    assert res.exit_code == 0, res.output
    assert ("ben-150000.zip: collected for ben, named by its own claim (no roster): 3 exercise file(s), "
            "5 self-reported attempt(s), 2 quiz attempt(s).") in res.output
    first = _counts(db)
    assert first == {"students": 3, "attempts": 12, "hint_uses": 3, "quiz_attempts": 4, "quiz_responses": 16,
                     "bundles": 3, "bundle_files": 9, "bundle_rows": 12 + 3 + 4}
    res = runner.invoke(cli, ["--db", str(db), "collect", *map(str, bundles)])
    assert res.exit_code == 0
    assert res.output.count("nothing changed") == 3
    assert _counts(db) == first


def test_the_bundle_collected_last_counts_whatever_date_it_claims(tmp_path, runner):
    from grader.store import open_store

    db = tmp_path / "class.db"
    runner.invoke(cli, ["--db", str(db), "collect", str(make_bundle(tmp_path, "ben"))])
    fewer = STUDENTS["ben"]["attempts"][:2]
    newer = make_bundle(tmp_path, "ben", created="16:00:00", attempts=fewer, hints=[], quizzes=[])
    res = runner.invoke(cli, ["--db", str(db), "collect", str(newer)])
    assert res.exit_code == 0 and "It replaces bundle #1 (ben-150000.zip, collected" in res.output
    assert "Undo: grade collect --undo 2" in res.output
    assert _counts(db) | {} == {"students": 1, "attempts": 2, "hint_uses": 0, "quiz_attempts": 0,
                                "quiz_responses": 0, "bundles": 2, "bundle_files": 6, "bundle_rows": 2}
    # A bundle claiming an earlier date, collected later, still replaces: the date is the
    # student's claim; the order of collection is the instructor's. It is reported.
    older = make_bundle(tmp_path, "ben", created="14:00:00")
    res = runner.invoke(cli, ["--db", str(db), "collect", str(older)])
    assert res.exit_code == 0 and "It replaces bundle #2 (ben-160000.zip" in res.output
    assert "it says it was made 2025-03-01T14:00:00, before the bundle it replaces" in res.output
    store = open_store(db)
    statuses = [(r["created_at"][11:19], r["status"]) for r in store.db.query("select * from bundles order by id")]
    store.close()
    assert statuses == [("15:00:00", "superseded"), ("16:00:00", "superseded"), ("14:00:00", "current")]
    assert _counts(db)["attempts"] == 5


def test_collect_reports_a_malformed_bundle_and_imports_the_rest(tmp_path, runner):
    db = tmp_path / "class.db"
    good = make_bundle(tmp_path, "cy")
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    res = runner.invoke(cli, ["--db", str(db), "collect", str(bad), str(good), str(tmp_path / "missing.zip")])
    assert res.exit_code == 2
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2
    assert errors[0].startswith("Error: broken.zip is not a valid submission bundle: not a readable zip file")
    assert "grade submit" in errors[0]
    assert errors[1].startswith("Error: No such file:")
    assert "Traceback" not in res.output
    assert "collected for cy" in res.output and _counts(db)["bundles"] == 1
