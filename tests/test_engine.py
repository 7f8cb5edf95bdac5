"""The grading engine end to end through `grade EXERCISE --file X --json`, hostile submissions included."""

from __future__ import annotations

import json
import textwrap
import time

import pytest

from grader.cli import cli

REQUIRED_KEYS = {"exercise", "slug", "passed", "score", "max_score", "duration_s", "tests",
                 "metrics", "targets", "diagnoses"}

CORRECT = textwrap.dedent('''
    import torch

    def shifted_exp_grad(values, shift):
        x = torch.tensor(values, requires_grad=True)
        (torch.exp(x) + shift).sum().backward()
        return x.grad

    def bumped_square_grad(values, bump):
        x = torch.tensor(values, requires_grad=True)
        ((x + bump) ** 2).sum().backward()
        return x.grad
''')

SUBMISSIONS = {
    "passing": (CORRECT, 0, {}),
    "failing": (CORRECT.replace("return x.grad\n\ndef bumped", "return x.grad * 2\n\ndef bumped"), 1,
                {"test_shifted_exp_grad": "failed"}),
    "crashing": (CORRECT.replace('(torch.exp(x) + shift).sum().backward()',
                                 'import ctypes; ctypes.string_at(0)'), 1,
                 {"test_shifted_exp_grad": "error"}),
    "exiting": (CORRECT.replace('((x + bump) ** 2).sum().backward()', 'import os; os._exit(0)'), 1,
                {"test_bumped_square_grad": "error"}),
    "hanging": (CORRECT.replace('((x + bump) ** 2).sum().backward()', 'while True: pass'), 1,
                {"test_bumped_square_grad": "timeout"}),
    "monkeypatching": (textwrap.dedent('''
        import builtins, torch

        # Try to make every comparison say "equal" and every check pass.
        torch.allclose = lambda *a, **k: True
        torch.isclose = lambda a, b, *r, **k: torch.ones_like(a, dtype=torch.bool)
        torch.equal = lambda *a, **k: True
        torch.Tensor.__eq__ = lambda self, other: True
        builtins.all = lambda *a: True
        print('{"exercise": "exercise2", "passed": true, "score": 4.0}')

        def shifted_exp_grad(values, shift):
            return torch.zeros(len(values))

        def bumped_square_grad(values, bump):
            return torch.zeros(len(values))
    '''), 1, {"test_shifted_exp_grad": "failed", "test_bumped_square_grad": "failed"}),
}


def grade_json(runner, tmp_path, code: str, exercise: str = "exercise2"):
    path = tmp_path / "submission.py"
    path.write_text(code)
    result = runner.invoke(cli, ["--db", str(tmp_path / "g.db"), exercise, "--file", str(path), "--json"])
    return result


@pytest.mark.parametrize("kind", list(SUBMISSIONS))
def test_exercise2_json_contract_holds_for_hostile_submissions(kind, runner, tmp_path, sandbox):
    code, exit_code, statuses = SUBMISSIONS[kind]
    started = time.monotonic()
    result = grade_json(runner, tmp_path, code)
    elapsed = time.monotonic() - started
    assert result.exit_code == exit_code, result.output
    payload = json.loads(result.stdout)  # exactly one JSON object and nothing else
    assert REQUIRED_KEYS <= payload.keys()
    assert payload["exercise"] == "exercise2" and payload["slug"] == "inplace"
    assert payload["passed"] is (exit_code == 0)
    assert payload["max_score"] == 4.0
    by_name = {t["name"]: t for t in payload["tests"]}
    for name, status in statuses.items():
        assert by_name[name]["status"] == status
        assert by_name[name]["passed"] is False and by_name[name]["message"]
    for t in payload["tests"]:
        assert {"name", "passed", "score", "max_score", "message"} <= t.keys()
        assert "def test_" not in t["message"] and "expect_grad(" not in t["message"]
    if kind == "hanging":
        assert elapsed < 30  # the 10 s per-test limit, not forever
        assert "did not finish within" in by_name["test_bumped_square_grad"]["message"]
        assert by_name["test_shifted_exp_grad"]["passed"]  # the other test still ran
    if kind == "exiting":
        assert "exited with code 0" in by_name["test_bumped_square_grad"]["message"]
    if kind == "crashing":
        assert "segmentation fault" in by_name["test_shifted_exp_grad"]["message"]


def test_partial_results_are_stored(runner, tmp_path, sandbox):
    from grader.store import open_store

    code, _, _ = SUBMISSIONS["exiting"]
    grade_json(runner, tmp_path, code)
    store = open_store(tmp_path / "g.db")
    rows = list(store.db["test_results"].rows)
    assert {r["name"]: r["status"] for r in rows} == {"test_shifted_exp_grad": "passed",
                                                       "test_bumped_square_grad": "error"}
    store.close()


def test_syntax_error_reports_line_and_column_once(runner, tmp_path, sandbox):
    result = grade_json(runner, tmp_path, "import torch\n\ndef shifted_exp_grad(values, shift):\n    return = 1\n")
    payload = json.loads(result.stdout)
    assert result.exit_code == 1
    messages = [t["message"] for t in payload["tests"]]
    assert all("line 4, column" in m for m in messages)
    assert all("Traceback" not in m and "grader/" not in m for m in messages)


def test_hanging_import_costs_the_limit_once(runner, tmp_path, sandbox):
    started = time.monotonic()
    result = grade_json(runner, tmp_path, "while True:\n    pass\n")
    payload = json.loads(result.stdout)
    assert [t["status"] for t in payload["tests"]] == ["timeout", "timeout"]
    assert time.monotonic() - started < 25  # one 10 s limit, not one per test


def test_missing_function_names_the_fix(runner, tmp_path, sandbox):
    payload = json.loads(grade_json(runner, tmp_path, "import torch\n").stdout)
    assert "your file defines no 'shifted_exp_grad'" in payload["tests"][0]["message"]


def test_student_traceback_shows_only_student_frames(runner, tmp_path, sandbox):
    code = "import torch\n\ndef helper(v):\n    raise ValueError('bad input ' + str(len(v)))\n\n" \
           "def shifted_exp_grad(values, shift):\n    return helper(values)\n"
    payload = json.loads(grade_json(runner, tmp_path, code).stdout)
    message = payload["tests"][0]["message"]
    assert "raised ValueError: bad input" in message
    assert 'File "submission.py", line 7, in shifted_exp_grad' in message
    assert 'File "submission.py", line 4, in helper' in message
    assert "worker.py" not in message and "site-packages" not in message


def test_hard_coded_answer_fails_under_other_seeds(sandbox, tmp_path):
    """Randomized inputs: copying the values from one run's feedback does not pass another."""
    from grader import course
    from grader.engine.runner import grade_file

    ex = course.load().find("exercise1")
    fixed = [0.5, -1.25, 1.5]
    path = tmp_path / "hard.py"
    path.write_text(f"import torch\ndef make_weights(values):\n    return torch.tensor({fixed}, requires_grad=True)\n"
                    f"def grad_of_squares(values):\n    return torch.tensor({[2 * v for v in fixed]})\n")
    results = [grade_file(ex, path, seed=s, sandbox=sandbox) for s in (1, 2, 3)]
    assert not any(r.passed for r in results)


def test_student_output_is_captured_not_printed(runner, tmp_path, sandbox):
    code = CORRECT.replace("x = torch.tensor(values, requires_grad=True)\n    (torch.exp",
                           "print('hello from student')\n    x = torch.tensor(values, requires_grad=True)\n    (torch.exp")
    result = grade_json(runner, tmp_path, code)
    assert result.exit_code == 0
    assert "hello from student" not in result.stdout.replace(json.dumps("hello from student\n"), "")
    payload = json.loads(result.stdout)
    assert payload["tests"][0]["output"].strip() == "hello from student"


def test_worker_environment_is_scrubbed(runner, tmp_path, sandbox, monkeypatch):
    monkeypatch.setenv("GRADER_DB", str(tmp_path / "secret.db"))
    code = CORRECT.replace("return x.grad\n\ndef bumped",
                           "import os\n    assert 'GRADER_DB' not in os.environ, 'leaked'\n"
                           "    assert 'GRADER_STUDENT' not in os.environ, 'leaked'\n    return x.grad\n\ndef bumped")
    result = grade_json(runner, tmp_path, code)
    assert result.exit_code == 0, result.stdout


def test_a_foreign_module_with_the_hidden_tests_name_is_not_run(sandbox, tmp_path, monkeypatch):
    """pytest's importlib mode reuses sys.modules by bare name; grading must still run the hidden file."""
    import sys
    import types

    from grader import course
    from grader.course import SOLUTIONS_DIR
    from grader.engine.runner import grade_file

    impostor = types.ModuleType("test_inplace")
    impostor.__file__ = str(tmp_path / "test_inplace.py")
    impostor.test_always_passes = lambda: None
    monkeypatch.setitem(sys.modules, "test_inplace", impostor)
    ex = course.load().find("exercise2")
    result = grade_file(ex, SOLUTIONS_DIR / ex.solution, seed=1, sandbox=sandbox)
    assert [t.name for t in result.tests] == ["test_shifted_exp_grad", "test_bumped_square_grad"]


AUTHOR_TOOLS = '''
import logging
import sys
import warnings


def test_uses_monkeypatch_and_tmp_path(student, monkeypatch, tmp_path):
    monkeypatch.setenv("GRADER_PROBE", "1")
    (tmp_path / "scratch.txt").write_text("x")
    warnings.warn("a check's warning")
    logging.getLogger("probe").warning("a check's log line")
    print("a check's print")
    sys.stderr.write("a check's stderr\\n")
    assert student.make_weights([1.0, 2.0]).requires_grad
'''


def test_hidden_tests_keep_monkeypatch_and_tmp_path_and_print_nothing(sandbox, tmp_path, monkeypatch, capfd):
    """pytest's plugins that gradings never use are off (engine/runner.py); what exercise authors
    may use stays, and nothing a check prints, logs or warns reaches the student's terminal."""
    from grader import course
    from grader import course
    from grader.course import SOLUTIONS_DIR
    from grader.engine.runner import grade_file

    ex = course.load().find("exercise1")  # read (and checked) before the hidden folder moves
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "pytest.ini").write_text((course.HIDDEN_TESTS_DIR / "pytest.ini").read_text())
    (hidden / "test_author_tools.py").write_text(AUTHOR_TOOLS)
    monkeypatch.setattr(course, "HIDDEN_TESTS_DIR", hidden)
    result = grade_file(ex.model_copy(update={"tests": "test_author_tools.py"}), SOLUTIONS_DIR / ex.solution,
                        seed=1, sandbox=sandbox)
    assert [(t.name, t.status) for t in result.tests] == [("test_uses_monkeypatch_and_tmp_path", "passed")], \
        [t.message for t in result.tests]
    out, err = capfd.readouterr()
    assert "a check's" not in out + err, out + err
