"""Commands that don't grade start without torch (and without the rest of the grading stack).

Each command runs in a fresh interpreter (a subprocess), because this test process has long
imported torch. The driver records, at exit, which heavy modules were loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = r'''
import atexit, sys
def _report():
    import json
    manifest = sys.modules.get("grader.course.manifest")
    built = bool(manifest and getattr(manifest.Manifest, "__pydantic_complete__", True))
    heavy = [m for m in ("torch", "pytest", "numpy", "pandas") if m in sys.modules]
    with open(REPORT, "w") as fh:
        json.dump({"heavy": heavy, "validators_built": built, "pydantic": "pydantic" in sys.modules}, fh)
REPORT = sys.argv[1]
atexit.register(_report)
sys.argv = ["grade"] + sys.argv[2:]
from grader.cli import main
main()
'''


def run_fresh(tmp_path: Path, cwd: Path, *args: str, stdin: str = "") -> tuple[subprocess.CompletedProcess, dict]:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "GRADER_DB"}
    env.update(GRADER_STUDENT="tester", GRADER_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, str(driver), str(report), *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)
    assert report.exists(), f"the command did not exit normally:\n{proc.stderr[-2000:]}"
    return proc, json.loads(report.read_text())


def _quiz_name() -> str:
    from grader import course

    names = sorted(p.stem for p in course.quizzes_dir().glob("*.toml"))
    return names[0] if names else "recap"


# Commands that never grade. Those owned by other issues are included as they exist; a failure
# here names the command that pulled torch in.
TORCH_FREE: list[tuple[str, ...]] = [
    ("--help",),
    ("--version",),
    ("list",),
    ("list", "--json"),
    ("show", "exercise1"),
    ("show", "exercise1", "--json"),
    ("hint", "exercise1"),
    ("whoami",),
    ("all", "--help"),
    ("watch", "--help"),
    ("exercise", "--help"),
    ("nosuchexercise",),  # a usage error must not pay for torch either
    ("quiz", "--list"),
    ("quiz", "--list", "--json"),
    ("quiz", "QUIZ", "--seed", "1"),
    ("review",),
    ("report",),
    ("report", "--format", "json"),
    ("report", "--format", "csv"),
]


@pytest.mark.parametrize("args", TORCH_FREE, ids=[" ".join(a) for a in TORCH_FREE])
def test_command_does_not_import_torch(workspace, tmp_path, args):
    args = tuple(_quiz_name() if a == "QUIZ" else a for a in args)
    proc, loaded = run_fresh(tmp_path, workspace.root, *args, stdin="")
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "torch" not in loaded["heavy"], f"`grade {' '.join(args)}` imported torch"
    assert "pytest" not in loaded["heavy"], f"`grade {' '.join(args)}` imported pytest"


@pytest.mark.parametrize("args", [("--help",), ("list",), ("show", "exercise2"), ("hint", "exercise2")])
def test_student_commands_succeed_without_the_grading_stack(workspace, tmp_path, args):
    proc, loaded = run_fresh(tmp_path, workspace.root, *args)
    assert proc.returncode == 0, proc.stderr
    assert loaded["heavy"] == [], f"`grade {' '.join(args)}` imported {loaded['heavy']}"


def test_list_reads_the_cached_manifest_without_building_validators(workspace, tmp_path):
    first, loaded_first = run_fresh(tmp_path, workspace.root, "list", "--json")
    second, loaded_second = run_fresh(tmp_path, workspace.root, "list", "--json")
    assert first.returncode == second.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert list((tmp_path / "cache").glob("manifest-*.json")), "the first run wrote no cache"
    assert loaded_first["validators_built"] is True  # a miss validates strictly
    assert loaded_second["validators_built"] is False  # a hit needs no validators


def test_quiz_list_reads_its_cached_rows_without_pydantic(workspace, tmp_path, monkeypatch):
    first, loaded_first = run_fresh(tmp_path, workspace.root, "quiz", "--list", "--json")
    second, loaded_second = run_fresh(tmp_path, workspace.root, "quiz", "--list", "--json")
    assert first.returncode == second.returncode == 0
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert loaded_first["pydantic"] is True and loaded_second["pydantic"] is False

    from grader import course
    from grader.app.quiz import list_quizzes

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    quizzes = tmp_path / "quizzes"  # the same course, one quiz edited, then one broken
    quizzes.mkdir()
    for path in course.quizzes_dir().glob("*.toml"):
        (quizzes / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(course, "quizzes_dir", lambda: quizzes)
    assert list_quizzes() == json.loads(first.stdout)["quizzes"]  # a hit: the same bytes
    recap = quizzes / "recap.toml"
    recap.write_text(recap.read_text().replace('title = "', 'title = "Edited: ', 1))
    assert next(r for r in list_quizzes() if r["name"] == "recap")["title"].startswith("Edited: ")
    recap.write_text("title = ")
    for _ in range(2):  # a broken quiz is never cached: its error shows each time
        assert "error" in next(r for r in list_quizzes() if r["name"] == "recap")


# --- the manifest cache: a hit is exactly the strictly validated manifest --------------------------

def test_cache_hit_equals_a_fresh_validation(tmp_path, monkeypatch):
    from grader import course
    from grader.course import cache as manifest_cache
    from grader.course.manifest import load_manifest

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path))
    path = course.manifest_path()
    miss = manifest_cache.load(path, course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
    assert len(list(tmp_path.glob("manifest-*.json"))) == 1
    hit = manifest_cache.load(path, course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
    fresh = load_manifest(path)
    assert hit == fresh == miss
    assert [e.model_dump() for e in hit.exercises] == [e.model_dump() for e in fresh.exercises]
    assert hit.path == path


def test_an_edited_cache_file_is_ignored(tmp_path, monkeypatch):
    from grader import course
    from grader.course import cache as manifest_cache
    from grader.course.manifest import load_manifest

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path))
    path = course.manifest_path()
    manifest_cache.load(path, course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
    (cached,) = tmp_path.glob("manifest-*.json")
    data = json.loads(cached.read_text())
    data["manifest"]["exercises"][0]["points"] = 1000.0  # a "looser" course
    cached.write_text(json.dumps(data, sort_keys=True))
    loaded = manifest_cache.load(path, course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
    assert loaded.exercises[0].points == load_manifest(path).exercises[0].points != 1000.0


def test_a_changed_manifest_is_validated_again(tmp_path, monkeypatch):
    from grader.course import cache as manifest_cache
    from grader.errors import ContentError

    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    from grader import course

    src = course.manifest_path().read_text()
    copy = tmp_path / "manifest.toml"
    copy.write_text(src)
    monkeypatch.setattr("grader.course.manifest.check_files", lambda *a, **k: None)
    manifest_cache.load(copy, course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
    copy.write_text(src.replace('slug = "requires-grad"', 'slug = "Not A Slug"', 1))
    with pytest.raises(ContentError, match="slug"):
        manifest_cache.load(copy, course.HIDDEN_TESTS_DIR, course.SOLUTIONS_DIR)
