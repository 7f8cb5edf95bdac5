"""Where the trusted course content lives: the manifest, stubs, hidden tests, solutions, quizzes, data.

A wheel carries exercises/, quizzes/ and data/ inside the package (grader/_bundled); a source
checkout or an editable install reads them from the repository root. Grading always uses this
trusted copy of the manifest, never the student's workspace copy, so editing a workspace
manifest cannot loosen a target.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
HIDDEN_TESTS_DIR = PACKAGE_DIR / "course" / "hidden"
SOLUTIONS_DIR = PACKAGE_DIR / "course" / "solutions"
MANIFEST_NAME = "manifest.toml"


def content_dir(name: str) -> Path:
    bundled = PACKAGE_DIR / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / name


def exercises_dir() -> Path:
    return content_dir("exercises")


def quizzes_dir() -> Path:
    return content_dir("quizzes")


def data_dir() -> Path:
    return content_dir("data")


def manifest_path() -> Path:
    return exercises_dir() / MANIFEST_NAME


@lru_cache(maxsize=None)
def _load_cached(path: str, mtime_ns: int):
    from grader import manifest_cache

    return manifest_cache.load(Path(path))  # validated as load_manifest does; cached across processes


def course_manifest():
    """The trusted manifest, parsed once per process (re-read when the file changes)."""
    path = manifest_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    return _load_cached(str(path), mtime)
