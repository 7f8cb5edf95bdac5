"""The Gradescope side: grade /autograder/submission and write /autograder/results/results.json.

Run by the exported run_autograder as `python -m grader.instructor.gradescope_run --root ROOT`.
Students upload their exercise files (any folder layout) or the bundle `grade submit` wrote.

results.json follows Gradescope's specification: a top-level "score" (the sum of the exercises;
it overrides the sum of the tests), "execution_time", "output", "visibility",
"stdout_visibility" and "tests". Per exercise there is one visible summary test (score,
max_score, status, name, output); every hidden test follows with its own score and message,
shown to students according to the export's hidden_visibility (by default after the due date).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from grader import __version__, settings

DEFAULT_CONFIG = {"hidden_visibility": "after_due_date"}


def find_submitted(submission: Path, manifest, scratch: Path) -> tuple[dict[str, Path], list[str]]:
    """({exercise name: file to grade}, notes for the student). Plain files win over a bundle."""
    from grader.instructor.bundle import read_bundle
    from grader.errors import UsageProblem

    wanted = {Path(ex.file).name: ex.name for ex in manifest.exercises}
    found: dict[str, tuple[int, str, Path]] = {}
    bundles: list[Path] = []
    for folder, dirs, files in os.walk(submission, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                continue
            depth = len(path.relative_to(submission).parts)
            if name in wanted:
                key = (depth, str(path), path)
                if wanted[name] not in found or key < found[wanted[name]]:
                    found[wanted[name]] = key
            elif name.endswith(".zip"):
                bundles.append(path)
    chosen = {ex: entry[2] for ex, entry in found.items()}
    notes: list[str] = []
    for bundle_path in bundles:
        try:
            bundle = read_bundle(bundle_path, set(wanted.values()))
        except UsageProblem as exc:
            notes.append(str(exc))
            continue
        for exercise, data in bundle.sources.items():
            if exercise not in chosen:
                target = scratch / exercise / Path(manifest.find(exercise).file).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                chosen[exercise] = target
    return chosen, notes


def _status(passed: bool) -> str:
    return "passed" if passed else "failed"


def grade_submission(root: Path, config: dict) -> dict:
    from grader import course
    from grader.engine.runner import grade_file
    from grader.instructor.seeds import stable_seed
    from grader.sandbox.client import Sandbox

    started = time.monotonic()
    hidden_visibility = config.get("hidden_visibility", DEFAULT_CONFIG["hidden_visibility"])
    manifest = course.load()
    tests: list[dict] = []
    lines: list[str] = []
    total = 0.0
    extra: dict = {"grader_version": __version__, "exercises": {}}
    with tempfile.TemporaryDirectory(prefix="grade-gs-") as tmp, Sandbox() as sandbox:
        sandbox.warm()
        files, notes = find_submitted(root / "submission", manifest, Path(tmp))
        lines += notes
        for number, ex in enumerate(manifest.exercises, 1):
            title = f"{ex.name} · {ex.title}"
            path = files.get(ex.name)
            if path is None:
                msg = f"No {Path(ex.file).name} in your submission: upload it (or your 'grade submit' bundle)."
                lines.append(f"{ex.name}: 0/{ex.points:g} — {msg}")
                tests.append({"name": title, "number": str(number), "score": 0.0, "max_score": float(ex.points),
                              "status": "failed", "output": msg, "visibility": "visible"})
                extra["exercises"][ex.name] = {"submitted": False}
                continue
            raw = path.read_bytes()
            seed = stable_seed(ex.name, hashlib.sha256(raw).hexdigest())
            result = grade_file(ex, path, seed=seed, sandbox=sandbox)
            total += result.score
            passed_n = sum(t.passed for t in result.tests)
            diagnosis = "".join(f"\n• {d.message}" for d in result.diagnoses)
            summary = (f"{passed_n} of {len(result.tests)} hidden tests passed"
                       f"{'' if result.targets_met else '; a target was not met'}.{diagnosis}")
            lines.append(f"{ex.name}: {result.score:g}/{result.max_score:g}"
                         f"{' passed' if result.passed else ''}")
            tests.append({"name": title, "number": str(number), "score": result.score,
                          "max_score": result.max_score, "status": _status(result.passed),
                          "output": summary, "visibility": "visible"})
            for i, t in enumerate(result.tests, 1):
                output = t.message or ("passed" if t.passed else t.status)
                if t.output:
                    output += f"\n\nYour code printed:\n{t.output}"
                tests.append({"name": f"{ex.name} · {t.name}", "number": f"{number}.{i}", "score": t.score,
                              "max_score": t.max_score, "status": _status(t.passed), "output": output,
                              "visibility": hidden_visibility})
            extra["exercises"][ex.name] = {"submitted": True, "seed": seed, "passed": result.passed,
                                           "diagnoses": [d.code for d in result.diagnoses]}
    return {
        "score": round(total, 6),
        "execution_time": round(time.monotonic() - started),
        "output": "\n".join(lines),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": extra,
        "tests": tests,
    }


def failure_results(error: str) -> dict:
    return {"score": 0.0, "output": f"The autograder could not grade this submission: {error}\n"
                                    "Please tell your instructor.", "visibility": "visible",
            "stdout_visibility": "hidden", "tests": []}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=settings.get("GRADER_AUTOGRADER_ROOT"))
    args = parser.parse_args(argv)
    root = Path(args.root)
    config = dict(DEFAULT_CONFIG)
    config_path = root / "source" / "gradescope.json"
    if config_path.is_file():
        config.update(json.loads(config_path.read_text()))
    try:
        results = grade_submission(root, config)
    except Exception as exc:  # the student must always get a results.json, never a blank page
        traceback.print_exc()  # stdout/stderr reach the instructor only (stdout_visibility)
        results = failure_results(f"{type(exc).__name__}: {exc}")
    out = root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(results["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
