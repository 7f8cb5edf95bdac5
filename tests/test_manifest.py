"""The exercise manifest: versioned, validated, errors naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import course
from grader.errors import ContentError, UnknownName
from grader.course.manifest import load_manifest, parse_manifest

GOOD = {
    "name": "exercise1", "slug": "requires-grad", "title": "T", "file": "ex01_requires_grad.py",
    "concept": "c", "seed_ref": "003", "task": "do it", "points": 5,
}


def manifest_with(*entries, version=1):
    return {"format_version": version, "exercises": [dict(GOOD, **e) for e in entries]}


def test_course_manifest_loads_and_every_file_exists():
    m = load_manifest(course.manifest_path())
    assert [e.name for e in m.exercises][:3] == ["exercise1", "exercise2", "exercise3"]
    for ex in m.exercises:
        assert (course.exercises_dir() / ex.file).is_file()
        assert (course.HIDDEN_TESTS_DIR / ex.tests).is_file()
        assert (course.SOLUTIONS_DIR / ex.solution).is_file()


def test_conventions_fill_tests_and_solution():
    ex = parse_manifest(manifest_with({}), Path("m.toml")).exercises[0]
    assert ex.tests == "test_requires_grad.py"
    assert ex.solution == "ex01_requires_grad.py"


def test_unknown_format_version_names_the_field():
    with pytest.raises(ContentError) as info:
        parse_manifest(manifest_with({}, version=7), Path("m.toml"))
    assert "m.toml: format_version" in str(info.value)
    assert "7" in str(info.value)


@pytest.mark.parametrize("field, value, where", [
    ("slug", "Not A Slug", "exercises[0].slug"),
    ("name", "ex-1", "exercises[0].name"),
    ("points", 0, "exercises[0].points"),
    ("file", "../escape.py", "exercises[0].file"),
    ("hints", ["a", "b", "c", "d"], "exercises[0].hints"),
    ("colour", "blue", "exercises[0].colour"),
])
def test_invalid_field_is_named(field, value, where):
    with pytest.raises(ContentError) as info:
        parse_manifest(manifest_with({field: value}), Path("m.toml"))
    assert where in str(info.value)


def test_bad_target_operator_is_named():
    with pytest.raises(ContentError) as info:
        parse_manifest(manifest_with({"targets": {"loss": {"op": "~", "value": 1}}}), Path("m.toml"))
    assert "exercises[0].targets.loss.op" in str(info.value)


def test_duplicate_names_are_reported_with_both_positions():
    data = manifest_with({}, {"slug": "other", "file": "other.py"})
    with pytest.raises(ContentError) as info:
        parse_manifest(data, Path("m.toml"))
    assert "exercises[1].name" in str(info.value) and "exercises[0]" in str(info.value)


def test_missing_stub_file_is_named(tmp_path):
    path = tmp_path / "manifest.toml"
    path.write_text('format_version = 1\n[[exercises]]\nname = "exercise1"\nslug = "requires-grad"\n'
                    'title = "T"\nfile = "nope.py"\nconcept = "c"\nseed_ref = "s"\ntask = "t"\npoints = 1\n')
    with pytest.raises(ContentError) as info:
        load_manifest(path, hidden_dir=course.HIDDEN_TESTS_DIR, solutions_dir=course.SOLUTIONS_DIR)
    assert f"{path}: exercises[0].file: no such file" in str(info.value)


def test_toml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "manifest.toml"
    path.write_text("format_version = = 1\n")
    with pytest.raises(ContentError) as info:
        load_manifest(path)
    assert str(path) in str(info.value) and "TOML" in str(info.value)


def test_non_utf8_manifest_is_a_clear_error(tmp_path):
    path = tmp_path / "manifest.toml"
    path.write_bytes(b"format_version = 1\n# \xff\xfe\n")
    with pytest.raises(ContentError) as info:
        load_manifest(path)
    assert "UTF-8" in str(info.value)


def test_find_accepts_name_number_and_slug_and_suggests():
    m = course.load()
    assert m.find("exercise2").slug == "inplace"
    assert m.find("2").name == "exercise2"
    assert m.find("inplace").name == "exercise2"
    with pytest.raises(UnknownName) as info:
        m.find("inplce")
    assert "inplace" in info.value.suggestions


def test_targets_compare_as_declared():
    ex = parse_manifest(manifest_with({"targets": {"loss": {"op": "<", "value": 0.1}}}), Path("m")).exercises[0]
    target = ex.targets["loss"]
    assert target.met(0.05) and not target.met(0.1) and not target.met(float("nan")) and not target.met(None)
