"""Bad input everywhere: student files, command-line paths, manifests and quiz files.

A student's mistake ends in a failed test whose message says what to fix (line and column for
syntax errors, never a grader traceback); a bad path or a malformed content file ends in one
`Error: ...` line (exit 2). Manifests and quiz files are also fuzzed with hypothesis: whatever
the input, the loader returns a valid object or raises ContentError naming the file and field.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.errors import ContentError
from hostile import _harness as h

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
GRADER_INTERNALS = ("Traceback (most recent call last)", "worker.py", "grader/", "course/hidden")


def _grade(tmp_path: Path, content: bytes, sandbox, name: str = "ex01_requires_grad.py") -> tuple[int, str, str]:
    student = tmp_path / name
    student.write_bytes(content)
    return h._run_in_process(["--db", str(tmp_path / "g.db"), "exercise1", "--file", str(student), "--json"],
                             sandbox)


# --- student files -------------------------------------------------------------------------------

STUDENT_FILES = {
    "syntax error": (b"import torch\n\ndef make_weights(values):\n    return torch.tensor(values\n",
                     ["SyntaxError in ex01_requires_grad.py, line 4, column 24", "was never closed"]),
    "indentation": (b"def make_weights(values):\n\tx = 1\n        return x\n",
                    ["TabError in ex01_requires_grad.py, line 3", "inconsistent use of tabs"]),
    "not UTF-8": (b'import torch\nname = "caf\xe9"\n',
                  ["SyntaxError in ex01_requires_grad.py, line 2", "Fix: save the file as UTF-8"]),
    "UTF-16": ("import torch\ndef make_weights(values):\n    return 1\n".encode("utf-16"),
               ["line 1", "Fix: the file is saved as UTF-16; save it as UTF-8"]),
    "null byte": (b"import torch\nx = 1\x00\n", ["line 2, column 6", "Fix: remove the null byte"]),
    "empty file": (b"", ["your file defines no 'make_weights'. It defines: nothing"]),
    "only comments": (b"# TODO\n", ["your file defines no 'make_weights'. It defines: nothing"]),
    "missing function": (
        b"import torch\n\ndef make_weights(values):\n    return torch.tensor(values, requires_grad=True)\n",
        ["your file defines no 'grad_of_squares'. It defines: make_weights, torch"]),
    "misspelled function": (
        b"import torch\n\ndef make_weight(values):\n    return torch.tensor(values)\n",
        ["your file defines no 'make_weights'. It defines: make_weight, torch"]),
    "wrong signature": (
        b"def make_weights():\n    return 1\n\ndef grad_of_squares(values, extra):\n    return 1\n",
        ["make_weights() takes 0 positional arguments but 1 was given",
         "grad_of_squares() missing 1 required positional argument: 'extra'"]),
    "error at import": (b"import torch\n\nweights = torhc.zeros(3)\n",
                        ["importing your file raised NameError: name 'torhc' is not defined",
                         'File "ex01_requires_grad.py", line 3']),
    "returns the wrong type": (
        b"def make_weights(values):\n    return values\n\ndef grad_of_squares(values):\n    return None\n",
        ["expected a tensor, received list", "expected a gradient tensor, received None"]),
}


@pytest.mark.parametrize("label", list(STUDENT_FILES))
def test_a_broken_student_file_fails_with_a_message_naming_the_fix(label, sandbox, tmp_path):
    content, expected = STUDENT_FILES[label]
    code, out, err = _grade(tmp_path, content, sandbox)
    assert code == 1, err
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["passed"] is False
    messages = "\n".join(t["message"] for t in report["tests"])
    for text in expected:
        assert text in messages, messages
    for internal in GRADER_INTERNALS:
        assert internal not in messages, f"{internal!r} leaked into: {messages}"
    assert h.inspect_database(tmp_path / "g.db")["integrity"] == "ok"


def _usage_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2, err
    assert out == ""
    assert err.startswith("Error: ") and err.strip().count("\n") == 0, err
    for word in words:
        assert word in err, err


def test_missing_file_is_a_usage_error(tmp_path, sandbox):
    code, out, err = h._run_in_process(["--db", str(tmp_path / "g.db"), "exercise1", "--file",
                                        str(tmp_path / "nope.py"), "--json"], sandbox)
    _usage_error(code, out, err, "No such file", "nope.py")


def test_a_folder_is_a_usage_error(tmp_path, sandbox):
    code, out, err = h._run_in_process(["--db", str(tmp_path / "g.db"), "exercise1", "--file",
                                        str(tmp_path), "--json"], sandbox)
    assert code == 2 and out == "" and "Error: " in err, err  # click's own usage error
    assert "Traceback" not in err


def test_a_huge_file_is_a_usage_error(tmp_path, sandbox):
    big = tmp_path / "big.py"
    big.write_bytes(b"# padding\n" * 200_000)
    code, out, err = h._run_in_process(["--db", str(tmp_path / "g.db"), "exercise1", "--file",
                                        str(big), "--json"], sandbox)
    _usage_error(code, out, err, "must be under")


def test_an_unknown_exercise_names_the_closest_ones(tmp_path, sandbox):
    code, out, err = h._run_in_process(["--db", str(tmp_path / "g.db"), "exercize1", "--file",
                                        str(h.REPO / "exercises/ex01_requires_grad.py"), "--json"], sandbox)
    _usage_error(code, out, err, "exercise1")


# --- the exercise manifest ---------------------------------------------------------------------------

BASE_MANIFEST = {
    "format_version": 1,
    "exercises": [
        {"name": "exercise1", "slug": "requires-grad", "title": "T", "file": "ex01.py", "concept": "c",
         "seed_ref": "s", "task": "t", "points": 5, "hints": ["a"],
         "targets": {"loss": {"op": "<", "value": 0.1}},
         "constraints": [{"text": "x", "check": "autograd-only"}]},
        {"name": "exercise2", "slug": "inplace", "title": "T", "file": "ex02.py", "concept": "c",
         "seed_ref": "s", "task": "t", "points": 4},
    ],
}
WHERE = Path("/course/exercises/manifest.toml")
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
FIELDS = ["name", "slug", "title", "file", "concept", "seed_ref", "task", "hints", "targets",
          "constraints", "points", "tests", "solution", "test_timeout_s", "timeout_s", "memory_mb",
          "optional", "unknown_field"]


def _check_parse(data: dict) -> None:
    from grader.course.manifest import Manifest, parse_manifest

    try:
        manifest = parse_manifest(data, WHERE)
    except ContentError as exc:
        message = str(exc)
        assert message.startswith(f"{WHERE}: "), message
        assert exc.field, f"no field named in: {message}"
        root = exc.field.split(".")[0].split("[")[0]
        assert root in data or root in ("exercises", "format_version"), message
        return
    assert isinstance(manifest, Manifest)


@FUZZ
@given(index=st.integers(0, 1), field=st.sampled_from(FIELDS), value=ANY_VALUE, delete=st.booleans())
def test_fuzzed_exercise_fields_give_a_content_error_naming_the_field(index, field, value, delete):
    data = copy.deepcopy(BASE_MANIFEST)
    entry = data["exercises"][index]
    if delete:
        entry.pop(field, None)
    else:
        entry[field] = value
    _check_parse(data)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["format_version", "exercises", "title", "x"]), ANY_VALUE,
                            max_size=3))
def test_fuzzed_manifest_tops_give_a_content_error(data):
    _check_parse(data)


@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_fuzzed_manifest_files_give_a_content_error_naming_the_file(raw, tmp_path_factory):
    from grader.course.manifest import load_manifest

    path = tmp_path_factory.mktemp("m") / "manifest.toml"
    path.write_bytes(raw)
    try:
        load_manifest(path)
    except ContentError as exc:
        assert str(exc).startswith(f"{path}: "), str(exc)


@pytest.mark.parametrize("text, field, words", [
    ("format_version = 2\n[[exercises]]\n", "format_version", ["unsupported format version 2"]),
    ("format_version = 1\nexercises = []\n", "exercises", ["at least 1"]),
    ('format_version = 1\n[[exercises]]\nname = "ex1"\n', "exercises[0]", []),
    ("format_version = 1\n[[exercises\n", "", ["not valid TOML", "line 2"]),
])
def test_malformed_manifests_name_file_and_field(tmp_path, text, field, words):
    from grader.course.manifest import load_manifest

    path = tmp_path / "manifest.toml"
    path.write_text(text)
    with pytest.raises(ContentError) as info:
        load_manifest(path)
    assert str(info.value).startswith(f"{path}: ")
    assert info.value.field.startswith(field)
    for word in words:
        assert word in str(info.value)


def test_a_non_utf8_manifest_says_so(tmp_path):
    from grader.course.manifest import load_manifest

    path = tmp_path / "manifest.toml"
    path.write_bytes(b'format_version = 1\ntitle = "caf\xe9"\n')
    with pytest.raises(ContentError, match="not UTF-8"):
        load_manifest(path)


def test_a_duplicate_slug_names_both_entries():
    from grader.course.manifest import parse_manifest

    data = copy.deepcopy(BASE_MANIFEST)
    data["exercises"][1]["slug"] = "requires-grad"
    with pytest.raises(ContentError) as info:
        parse_manifest(data, WHERE)
    assert info.value.field == "exercises[1].slug" and "exercises[0]" in str(info.value)


# --- quiz files ---------------------------------------------------------------------------------

def _quiz_loader():
    return pytest.importorskip("grader.quiz.model", reason="the quiz loader (grader/quiz) is not here")


QUIZ_FILES = sorted((h.REPO / "quizzes").glob("*.toml"))


def _real_quiz() -> dict:
    if not QUIZ_FILES:
        pytest.skip("no quiz files in quizzes/")
    return tomllib.loads((h.REPO / "quizzes" / "recap.toml").read_text()
                        if (h.REPO / "quizzes" / "recap.toml").exists() else QUIZ_FILES[0].read_text())


def _check_quiz(data: dict) -> None:
    model = _quiz_loader()
    where = Path("/course/quizzes/fuzzed.toml")
    try:
        model.parse_quiz(data, where, "fuzzed")
    except ContentError as exc:
        assert str(exc).startswith(f"{where}: "), str(exc)


QUIZ_FIELDS = ["id", "kind", "prompt", "explanation", "options", "answer", "statement", "rubric",
               "samples", "check", "exercises", "seed_ref", "reveal", "unknown_field"]


@FUZZ
@given(question=st.integers(0, 6), field=st.sampled_from(QUIZ_FIELDS), value=ANY_VALUE, delete=st.booleans())
def test_fuzzed_quiz_questions_give_a_content_error_naming_the_file(question, field, value, delete):
    data = _real_quiz()
    items = data.get("questions", [])
    entry = items[question % len(items)]
    if delete:
        entry.pop(field, None)
    else:
        entry[field] = value
    _check_quiz(data)


@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_fuzzed_quiz_files_give_a_content_error_naming_the_file(raw, tmp_path_factory):
    model = _quiz_loader()
    path = tmp_path_factory.mktemp("q") / "fuzzed.toml"
    path.write_bytes(raw)
    try:
        model.load_quiz_file(path)
    except ContentError as exc:
        assert str(exc).startswith(f"{path}: "), str(exc)
