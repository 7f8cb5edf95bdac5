"""grade export gradescope: the zip's layout, its wheel, and a rehearsed run in a temporary /autograder."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader import course
from grader.cli import cli
from grader import course
from grader.instructor.wheel import wheel_name
from test_bundles_support import make_bundle

VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    res = CliRunner().invoke(cli, ["export", "gradescope", str(out), "--torch-version", "2.13.0"])
    assert res.exit_code == 0, res.output
    assert str(out) in res.output
    return out


def test_zip_layout(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as zf:
        names = set(zf.namelist())
        assert names == {"setup.sh", "run_autograder", "gradescope.json", wheel_name()}  # all at the root
        for script in ("setup.sh", "run_autograder"):
            mode = zf.getinfo(script).external_attr >> 16
            assert stat.S_ISREG(mode) and mode & 0o111 == 0o111, f"{script} must be executable"
        setup = zf.read("setup.sh").decode()
        run = zf.read("run_autograder").decode()
        config = json.loads(zf.read("gradescope.json"))
    assert setup.startswith("#!/usr/bin/env bash") and run.startswith("#!/usr/bin/env bash")
    assert '"torch==2.13.0" --index-url https://download.pytorch.org/whl/cpu' in setup  # CPU-only torch
    assert f"/autograder/source/{wheel_name()}" in setup
    assert "grader.instructor.gradescope_run" in run and "/autograder" in run
    assert config == {"grader_version": "0.1.0", "hidden_visibility": "after_due_date", "torch": "2.13.0"}


def test_the_wheel_installs_and_carries_the_course_but_no_solutions(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extract(wheel_name(), tmp_path)
    site = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                          "--target", str(site), str(tmp_path / wheel_name())], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    probe = ("import grader, grader.course as c, json\n"
             "m = c.load()\n"
             "print(json.dumps({'file': grader.__file__, 'exercises': [e.name for e in m.exercises],\n"
             "  'hidden': sorted(p.name for p in c.HIDDEN_TESTS_DIR.glob('test_*.py')),\n"
             "  'solution': (c.SOLUTIONS_DIR / m.exercises[0].solution).read_text()}))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["file"].startswith(str(site))
    assert info["exercises"] == course.load().names()
    assert info["hidden"] == sorted(p.name for p in course.HIDDEN_TESTS_DIR.glob("test_*.py"))
    assert "Not shipped" in info["solution"]  # student code shares the container: no answers in it
    assert (site / "bin" / "grade").is_file()


def test_run_autograder_writes_results_per_the_specification(autograder_zip, tmp_path):
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as zf:
        zf.extractall(root / "source")
    submission = root / "submission"
    (submission / "my work").mkdir(parents=True)
    manifest = course.load()
    ex1, ex2, ex3 = manifest.exercises[:3]
    # A plain stub for exercise 1 (wins over the bundle's copy), and ada's bundle for the rest.
    shutil.copyfile(course.exercises_dir() / ex1.file, submission / "my work" / ex1.file)
    make_bundle(submission, "ada")
    os.chmod(root / "source" / "run_autograder", 0o755)
    env = os.environ | {"GRADER_AUTOGRADER_ROOT": str(root), "GRADER_AUTOGRADER_PYTHON": sys.executable}
    proc = subprocess.run([str(root / "source" / "run_autograder")], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())

    assert set(results) <= {"score", "execution_time", "output", "visibility", "stdout_visibility",
                            "extra_data", "tests"}
    assert results["score"] == pytest.approx(1 + 4 + 4)  # stub 1/5, solutions 4/4 and 4/4
    assert isinstance(results["execution_time"], int) and results["visibility"] == "visible"
    for test in results["tests"]:
        assert set(test) == {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in {"passed", "failed"} and test["visibility"] in VISIBILITIES
        assert isinstance(test["score"], float) and isinstance(test["output"], str) and test["name"]
    summaries = [t for t in results["tests"] if "." not in t["number"]]
    details = [t for t in results["tests"] if "." in t["number"]]
    assert [t["number"] for t in summaries] == [str(i) for i in range(1, len(manifest.exercises) + 1)]
    assert all(t["visibility"] == "visible" for t in summaries)
    assert all(t["visibility"] == "after_due_date" for t in details)  # hidden tests: after the due date
    assert sum(t["score"] for t in summaries) == pytest.approx(results["score"])
    first = {t["name"].split(" · ")[0]: t for t in summaries}
    assert (first[ex1.name]["score"], first[ex1.name]["max_score"], first[ex1.name]["status"]) == (1.0, 5.0, "failed")
    assert (first[ex2.name]["score"], first[ex2.name]["status"]) == (4.0, "passed")
    assert (first[ex3.name]["score"], first[ex3.name]["status"]) == (4.0, "passed")
    ex1_details = [t for t in details if t["number"].startswith("1.")]
    assert sum(t["score"] for t in ex1_details) == pytest.approx(1.0)
    assert sum(t["max_score"] for t in ex1_details) == pytest.approx(5.0)
    for ex in manifest.exercises[3:]:
        assert first[ex.name]["score"] == 0.0 and "No " + ex.file in first[ex.name]["output"]
    assert results["extra_data"]["exercises"][ex1.name]["diagnoses"] == ["missing-requires-grad"]


def test_one_export_group_holds_every_format(runner):
    result = runner.invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    for fmt in ("gift", "aiken", "gradescope"):
        assert f"  {fmt} " in result.stdout, result.stdout
