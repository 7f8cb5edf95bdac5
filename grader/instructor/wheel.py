"""Build a pure-Python wheel of the installed grader, with the standard library only.

The Gradescope autograder installs the grader from this wheel. Building it here (rather than
with a build backend) works offline and from any install: an editable checkout or a wheel.
The course content (exercises/, quizzes/, data/) goes into grader/_bundled as in a normal
build. Reference solutions are replaced by placeholders: student code runs in the same
container as the autograder, and nothing there needs them.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from grader import __version__, course
from grader.errors import UsageProblem

DIST_NAME = "autograd-grader"
SKIP_DIRS = {"__pycache__", "_bundled"}
SOLUTION_PLACEHOLDER = b'"""Not shipped in the Gradescope autograder: reference solutions stay with the instructor."""\n'

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def wheel_name() -> str:
    return f"{DIST_NAME.replace('-', '_')}-{__version__}-py3-none-any.whl"


def _project_metadata() -> tuple[list[str], str, dict[str, list[str]]]:
    """(Requires-Dist lines, Requires-Python, console scripts): from pyproject.toml in a source
    checkout (always current), else from the installed distribution."""
    pyproject = course.PACKAGE_DIR.parent / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == DIST_NAME:
            requires = list(project.get("dependencies", []))
            for extra, deps in project.get("optional-dependencies", {}).items():
                requires += [f"{d}; extra == \"{extra}\"" if ";" not in d else f"{d} and extra == \"{extra}\""
                             for d in deps]
            return requires, project.get("requires-python", ""), dict(project.get("scripts", {}))
    try:
        dist = metadata.distribution(DIST_NAME)
    except metadata.PackageNotFoundError:
        raise UsageProblem(f"Cannot find the installed {DIST_NAME} package to build the autograder's "
                          "wheel: install it (pip install .) and try again.") from None
    scripts = {ep.name: ep.value for ep in dist.entry_points if ep.group == "console_scripts"}
    return list(dist.requires or []), dist.metadata.get("Requires-Python", ""), scripts


def _files() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    package = course.PACKAGE_DIR
    solutions = course.SOLUTIONS_DIR.resolve()
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package)
        if not path.is_file() or SKIP_DIRS.intersection(rel.parts) or path.suffix in (".pyc", ".pyo"):
            continue
        data = SOLUTION_PLACEHOLDER if path.resolve().parent == solutions and path.suffix == ".py" else path.read_bytes()
        out[f"grader/{rel.as_posix()}"] = data
    for name in ("exercises", "quizzes", "data"):
        folder = course.content_dir(name)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc":
                out[f"grader/_bundled/{name}/{rel.as_posix()}"] = path.read_bytes()
    return out


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(out_dir: Path) -> Path:
    requires, requires_python, scripts = _project_metadata()
    dist_info = f"{DIST_NAME.replace('-', '_')}-{__version__}.dist-info"
    files = _files()
    meta = ["Metadata-Version: 2.1", f"Name: {DIST_NAME}", f"Version: {__version__}",
            "Summary: Exercises and quizzes that teach PyTorch autograd, graded safely in the terminal"]
    if requires_python:
        meta.append(f"Requires-Python: {requires_python}")
    extras = sorted({r.split('extra == "')[1].split('"')[0] for r in requires if 'extra == "' in r})
    meta += [f"Provides-Extra: {e}" for e in extras] + [f"Requires-Dist: {r}" for r in requires]
    files[f"{dist_info}/METADATA"] = ("\n".join(meta) + "\n").encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: autograd-grader export\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    if scripts:
        files[f"{dist_info}/entry_points.txt"] = (
            "[console_scripts]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items())).encode()
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in files.items():
        writer.writerow([name, _record_hash(data), len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    files[f"{dist_info}/RECORD"] = record.getvalue().encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / wheel_name()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path
