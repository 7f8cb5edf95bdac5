"""The student loop through the CLI (CliRunner): grade, list, show, hint, reset, solution, init."""

from __future__ import annotations

import json
import shutil

import click
import pytest

from grader import course
from grader.cli import cli
from grader.store import open_store


def all_commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix}{name} ")


def test_every_command_has_help_with_an_example(runner):
    for name, command in all_commands(cli):
        result = runner.invoke(cli, name.split() + ["--help"])
        assert result.exit_code == 0, name
        assert command.help and command.help.strip(), f"{name} has no help text"
        assert "Example" in result.output, f"{name} --help has no Example block"
    assert "Example" in runner.invoke(cli, ["--help"]).output


def test_exercise1_stub_fails_naming_requires_grad_then_solution_passes(runner, workspace, sandbox):
    stub = runner.invoke(cli, ["exercise1"])
    assert stub.exit_code == 1
    assert "missing-requires-grad" in stub.output
    assert "requires_grad" in stub.output
    shutil.copyfile(course.SOLUTIONS_DIR / "ex01_requires_grad.py", workspace.student_file(course.load().find("exercise1")))
    solved = runner.invoke(cli, ["exercise1"])
    assert solved.exit_code == 0, solved.output
    assert "Passed exercise1" in solved.output
    store = open_store(workspace.default_db)
    attempts = store.attempts("tester", "exercise1")
    assert [a["passed"] for a in attempts] == [0, 1]
    assert all(a["origin"] == "local" and a["complete"] == 1 for a in attempts)
    store.close()


def test_json_output_is_one_object(runner, workspace, sandbox):
    result = runner.invoke(cli, ["requires-grad", "--json", "--seed", "5"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["exercise"] == "exercise1" and payload["seed"] == 5
    assert any(d["code"] == "missing-requires-grad" for d in payload["diagnoses"])


def test_plain_grade_grades_the_next_pending_exercise(runner, workspace, sandbox):
    result = runner.invoke(cli, [])
    assert result.exit_code == 1
    assert "exercise1" in result.output


def test_list_shows_status_and_concepts(runner, workspace, fresh_db):
    rows = json.loads(runner.invoke(cli, ["list", "--json"]).stdout)
    assert [r["name"] for r in rows][:3] == ["exercise1", "exercise2", "exercise3"]
    assert {r["status"] for r in rows} == {"pending"}
    assert all(r["concept"] for r in rows)
    text = runner.invoke(cli, ["list"]).output
    assert "requires-grad" in text and "teaches:" in text


def test_list_reflects_stored_attempts(runner, workspace):
    from tests.test_store import make_result

    store = open_store(workspace.default_db)
    store.record_attempt("tester", make_result("exercise1", passed=True))
    store.record_attempt("tester", make_result("exercise2", passed=False))
    store.close()
    rows = {r["name"]: r["status"] for r in json.loads(runner.invoke(cli, ["list", "--json"]).stdout)}
    assert rows["exercise1"] == "passed" and rows["exercise2"] == "attempted" and rows["exercise3"] == "pending"


def test_unknown_exercise_exits_2_with_closest_names(runner, workspace):
    result = runner.invoke(cli, ["exercize2"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "exercise2" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(cli, ["show", "inplase"]).exit_code == 2
    assert "inplace" in runner.invoke(cli, ["show", "inplase"]).output


def test_bad_option_is_a_usage_error(runner, workspace):
    assert runner.invoke(cli, ["exercise1", "--seed", "banana"]).exit_code == 2
    assert runner.invoke(cli, ["check", "--seeds", "1"]).exit_code == 2


def test_outside_a_workspace_the_error_says_how_to_make_one(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["exercise1"])
    assert result.exit_code == 2
    assert "grade init" in result.output


def test_show_gives_task_targets_and_constraints(runner, workspace):
    info = json.loads(runner.invoke(cli, ["show", "exercise3", "--json"]).stdout)
    assert info["slug"] == "backward"
    assert any("autograd" in c for c in info["constraints"])
    assert info["file"].endswith("ex03_backward.py")
    assert "backward" in runner.invoke(cli, ["show", "3"]).output


def test_hints_are_progressive_recorded_and_capped(runner, workspace):
    ex = course.load().find("exercise1")
    first = runner.invoke(cli, ["hint", "exercise1"]).output
    assert "Hint 1/3" in first and "Hint 2/3" not in first
    runner.invoke(cli, ["hint", "exercise1"])
    third = runner.invoke(cli, ["hint", "exercise1"]).output
    assert "Hint 3/3" in third and ex.hints[2].split()[0] in third
    again = runner.invoke(cli, ["hint", "exercise1"]).output
    assert "last hint" in again
    store = open_store(workspace.default_db)
    assert store.hints_used("tester", "exercise1") == 3
    assert store.db["hint_uses"].count == 3
    store.close()


def test_reset_keeps_a_backup_and_restores_the_stub(runner, workspace):
    ex = course.load().find("exercise2")
    target = workspace.student_file(ex)
    target.write_text("# my precious work\n")
    declined = runner.invoke(cli, ["reset", "exercise2"], input="n\n")
    assert declined.exit_code == 0 and target.read_text() == "# my precious work\n"  # declining is no error
    result = runner.invoke(cli, ["reset", "exercise2"], input="y\n")
    assert result.exit_code == 0
    assert target.read_text() == (course.exercises_dir() / ex.file).read_text()
    backups = list((workspace.state / "backups").iterdir())
    assert [b.read_text() for b in backups] == ["# my precious work\n"]


def test_solution_unlocks_only_after_a_pass(runner, workspace):
    locked = runner.invoke(cli, ["solution", "exercise1"])
    assert locked.exit_code == 2 and "unlocks once you pass" in locked.output  # a refusal, not a "not yet"
    from tests.test_store import make_result

    store = open_store(workspace.default_db)
    store.record_attempt("tester", make_result("exercise1", passed=True))
    store.close()
    shown = runner.invoke(cli, ["solution", "exercise1"])
    assert shown.exit_code == 0 and "requires_grad=True" in shown.output


def test_init_copies_stubs_and_never_overwrites(runner, tmp_path):
    target = tmp_path / "course"
    assert runner.invoke(cli, ["init", str(target)]).exit_code == 0
    assert (target / "exercises" / "manifest.toml").is_file()
    stub = target / "exercises" / "ex01_requires_grad.py"
    stub.write_text("# edited\n")
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 0 and "already a workspace" in again.output
    assert stub.read_text() == "# edited\n"


def test_student_identity_order(runner, workspace, monkeypatch):
    assert runner.invoke(cli, ["whoami"]).output.strip() == "tester"  # GRADER_STUDENT
    monkeypatch.delenv("GRADER_STUDENT")
    runner.invoke(cli, ["whoami", "--set", "ada"])
    assert runner.invoke(cli, ["whoami"]).output.strip() == "ada"


def test_db_option_and_env_choose_the_database(runner, workspace, tmp_path, monkeypatch):
    opt = tmp_path / "opt.db"
    runner.invoke(cli, ["--db", str(opt), "hint", "exercise1"])
    assert open_store(opt).hints_used("tester", "exercise1") == 1
    env = tmp_path / "env.db"
    monkeypatch.setenv("GRADER_DB", str(env))
    runner.invoke(cli, ["hint", "exercise1"])
    assert open_store(env).hints_used("tester", "exercise1") == 1
    assert not workspace.default_db.exists()


def test_check_proves_stubs_fail_and_solutions_pass(runner, sandbox):
    result = runner.invoke(cli, ["check", "--json", "exercise1", "exercise2", "exercise3"])
    payload = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    assert payload["ok"] and payload["seeds"] == 3
    for ex in payload["exercises"]:
        assert ex["stub_failed"] == 3 and ex["solution_passed"] == 3


def test_check_fails_when_a_stub_already_passes(sandbox, monkeypatch, tmp_path):
    from grader.engine import check as checker

    ex = course.load().find("exercise1")
    monkeypatch.setattr(checker.course, "exercises_dir", lambda: course.SOLUTIONS_DIR)
    result = checker.check_exercise(ex, [1, 2, 3], sandbox)
    assert not result.ok and result.stub_failed == 0
    assert "the stub passes every test" in result.problems[0]
