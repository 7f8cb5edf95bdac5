"""The trusted course content: where it lives, and its manifest.

A wheel carries exercises/, quizzes/ and data/ inside the package (grader/_bundled); a source
checkout or an editable install reads them from the repository root. The hidden tests and the
reference solutions live beside this file (hidden/, solutions/). Grading always uses this
trusted copy of the manifest, never the student's workspace copy, so editing a workspace
manifest cannot loosen a target.

One way in: `load()` gives the validated manifest. `listing()` and `peek()` give the same
entries as plain data for commands that must not pay for pydantic (see cache.py).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from grader.course.manifest import Manifest

COURSE_DIR = Path(__file__).resolve().parent
PACKAGE_DIR = COURSE_DIR.parent  # grader/
HIDDEN_TESTS_DIR = COURSE_DIR / "hidden"
SOLUTIONS_DIR = COURSE_DIR / "solutions"
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
def _load(path: str, mtime_ns: int) -> "Manifest":
    from grader.course import cache

    return cache.load(Path(path), HIDDEN_TESTS_DIR, SOLUTIONS_DIR)


def load() -> "Manifest":
    """The trusted manifest, validated, parsed once per process (again when the file changes)."""
    path = manifest_path()
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = 0
    return _load(str(path), mtime)


def listing() -> list[dict]:
    """Every exercise, in order, as plain data: from the cache without importing pydantic, else
    validated by load() (which then fills the cache)."""
    from grader.course import cache

    exercises = cache.cached_exercises(manifest_path())
    if exercises is None:
        exercises = [ex.model_dump() for ex in load().exercises]
    return exercises


def peek(name: str) -> dict | None:
    """One exercise's entry as plain data from the cache (None without a valid cache)."""
    from grader.course import cache

    return cache.peek(manifest_path(), name)
