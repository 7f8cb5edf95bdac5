"""The rough edges a newcomer met, each pinned down: outside a workspace, a mistyped --db, exit
codes, interrupted quizzes, `grade show`'s references, watch's keys and footer, what "Your code
printed" shows, and settings that do not exist."""

from __future__ import annotations

import io
import json
import os
import pty
import queue
import sqlite3

import pytest
import torch

from grader import course
from grader.cli import cli


def test_list_outside_a_workspace_says_so_instead_of_claiming_everything_pending(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["list", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["status"] for r in rows} == {"unknown"}
    assert "not in a workspace" in result.stderr and "grade init" in result.stderr


def test_show_outside_a_workspace_names_the_file_in_your_workspace_not_a_missing_path(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["show", "exercise2"])
    assert result.exit_code == 0
    assert "in your workspace" in result.stdout and "pending" not in result.stdout
    assert "not in a workspace" in result.stderr


def test_show_names_the_lessons_part_not_the_seed_files_number(runner, workspace):
    result = runner.invoke(cli, ["show", "exercise1"])
    assert "Why it works, pitfall 1" in result.stdout
    assert "003" not in result.stdout


def test_a_db_in_a_folder_that_does_not_exist_is_an_error_not_a_fresh_database(runner, workspace, tmp_path):
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    result = runner.invoke(cli, ["--db", str(missing), "list"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and str(missing.parent) in result.stderr
    assert not (tmp_path / "no").exists()


def test_the_workspace_database_folder_is_still_made_on_first_use(runner, workspace):
    (workspace.root / ".grade").rmdir()
    assert runner.invoke(cli, ["hint", "exercise1"]).exit_code == 0
    assert (workspace.root / ".grade" / "grader.db").is_file()


def test_a_mistyped_worker_backend_is_an_error_naming_the_choices(runner, workspace, monkeypatch):
    monkeypatch.setenv("GRADER_WORKER_BACKEND", "frok")
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["exercise1", "--json"])  # a real sandbox: the setting is read there
    assert result.exit_code == 2
    assert "GRADER_WORKER_BACKEND" in result.stderr and "fork" in result.stderr and "spawn" in result.stderr


def test_every_command_summary_fits_grade_help(runner):
    result = runner.invoke(cli, ["--help"])
    commands = result.stdout.split("Commands:")[1]
    assert "..." not in commands, commands


def _interactive(monkeypatch, lines: list[str]) -> None:
    """Answers typed at a terminal: the quiz reads them line by line, then end of input (Ctrl-D)."""
    from grader.app import quiz as app_quiz

    stdin = io.StringIO("".join(line + "\n" for line in lines))
    monkeypatch.setattr(app_quiz, "_isatty", lambda stream: stream is stdin)
    monkeypatch.setattr(app_quiz.Streams, "system", classmethod(lambda cls: cls(stdin, io.StringIO(), io.StringIO())))


def test_ctrl_d_at_an_interactive_quiz_stops_it_like_ctrl_c(runner, db_path, monkeypatch):
    _interactive(monkeypatch, ["F"])
    result = runner.invoke(cli, ["--db", str(db_path), "quiz", "myths", "--seed", "1"])
    assert result.exit_code == 130, result.output
    assert "Input ended" not in result.output  # the message for scripts is not for a person at a prompt
    with sqlite3.connect(db_path) as db:
        assert db.execute("select complete from quiz_attempts").fetchall() == [(0,)]


def test_piped_input_that_ends_early_does_not_say_nothing_was_missed(runner, db_path):
    result = runner.invoke(cli, ["--db", str(db_path), "quiz", "recap", "--seed", "1"], input="A\nB\n")
    assert result.exit_code == 2
    assert "Nothing missed" not in result.output
    assert "not answered" in result.output


def test_watch_takes_q_without_enter_on_a_terminal():
    from grader.app.watch import Request, read_keys, single_keys

    keyboard, terminal = pty.openpty()  # keys typed on `keyboard` arrive at `terminal`
    stream = os.fdopen(terminal, "r", closefd=True)
    out: queue.Queue = queue.Queue()
    with single_keys(stream):
        os.write(keyboard, b"\nq")  # Enter, then q with no Enter after it
        read_keys(out, stream)  # returns at the quit
    os.close(keyboard)
    assert [out.get_nowait(), out.get_nowait()] == [Request("rerun"), Request("quit")]


def test_watch_feedback_does_not_tell_you_to_run_a_command(sandbox):
    from rich.console import Console

    from grader.cli.feedback import render
    from grader.engine.runner import grade_file

    ex = course.load().find("exercise1")
    result = grade_file(ex, course.exercises_dir() / ex.file, seed=1, sandbox=sandbox)
    sink = io.StringIO()
    render(result, Console(file=sink, width=120, color_system=None), watching=True)
    assert "run: grade" not in sink.getvalue() and "save" in sink.getvalue()


def test_what_your_code_printed_shows_no_sandbox_or_torch_build_paths(sandbox, tmp_path):
    from grader.engine.runner import grade_file

    student = tmp_path / "ex01_requires_grad.py"
    student.write_text(
        "import os, warnings, torch\n"
        "def make_weights(values):\n"
        "    print('here:', os.path.abspath(__file__), os.getcwd())\n"
        "    warnings.warn('see ' + os.path.dirname(torch.__file__) + '/x.py (Triggered internally at /pytorch/aten/x.cpp:1.)')\n"
        "    return torch.tensor(values)\n"
        "def grad_of_squares(values):\n    return None\n")
    ex = course.load().find("exercise1")
    result = grade_file(ex, student, seed=1, sandbox=sandbox)
    printed = "".join(t.output for t in result.tests)
    assert "here: ex01_requires_grad.py" in printed, printed
    assert "grade-sandbox" not in printed and "/work" not in printed.split("here:")[1].split("\n")[0]
    assert os.path.dirname(torch.__file__) not in printed and "<torch>/x.py" in printed
    assert "Triggered internally" not in printed


def test_expect_grad_names_a_whole_multiple_of_the_gradient_when_asked_to():
    from grader.authoring import Mismatch, expect_grad

    want = torch.tensor([1.0, -2.0, 3.0])
    with pytest.raises(Mismatch) as info:
        expect_grad(3 * want, want, name="g", accumulation_factor_check=True)
    assert info.value.signal == "grad-accumulation" and "3×" in str(info.value)
    with pytest.raises(Mismatch) as plain:
        expect_grad(3 * want, want, name="g")  # off by default: a factor can have other causes
    assert plain.value.signal is None
    with pytest.raises(Mismatch) as other:
        expect_grad(want + 1, want, name="g", accumulation_factor_check=True)
    assert other.value.signal is None
