"""The course's quizzes: every *.toml file in grader.course.quizzes_dir(), looked up by name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from grader.errors import UnknownName
from grader.text import closest

if TYPE_CHECKING:  # the model imports pydantic: only loading a quiz needs it
    from grader.quiz.model import LoadedQuiz


def quiz_paths(folder: Path | None = None) -> dict[str, Path]:
    from grader.course import quizzes_dir

    folder = folder or quizzes_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def quiz_names(folder: Path | None = None) -> list[str]:
    return list(quiz_paths(folder))


def find_quiz(name: str, folder: Path | None = None) -> "LoadedQuiz":
    """Load the quiz called `name`; an unknown name lists the closest ones (or all, if none is close)."""
    from grader.quiz.model import load_quiz_file

    paths = quiz_paths(folder)
    key = name.strip().lower().removesuffix(".toml")
    if key in paths:
        return load_quiz_file(paths[key])
    names = list(paths)
    raise UnknownName("quiz", name, closest(key, names) or names)


def all_quizzes(folder: Path | None = None) -> list["LoadedQuiz"]:
    from grader.quiz.model import load_quiz_file

    return [load_quiz_file(p) for p in quiz_paths(folder).values()]


LIST_PREFIX = "quizlist-"


def _list_key(paths: dict[str, Path]) -> str:
    """Every quiz file's name and bytes, the grader version and the quiz model's source."""
    import hashlib

    from grader import __version__

    h = hashlib.sha256()
    for part in (__version__.encode(), Path(__file__).with_name("model.py").read_bytes(),
                 *(f"{name}\0".encode() + path.read_bytes() for name, path in paths.items())):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:32]


def cached_listing(paths: dict[str, Path], compute: Callable[[dict[str, Path]], list[dict]]) -> list[dict]:
    """`grade quiz --list`'s rows: as last computed for these exact files (listing then needs no
    pydantic, ~0.1 s of a 0.2 s command), else `compute(paths)`, cached unless a row is an error
    (errors are shown fresh each time)."""
    from grader.course import cache as manifest_cache

    folder = manifest_cache.cache_dir()
    try:
        key = _list_key(paths)
    except OSError:
        return compute(paths)
    data = manifest_cache.read(folder, LIST_PREFIX, key)
    rows = data.get("rows") if data else None
    if isinstance(rows, list) and all(isinstance(r, dict) for r in rows):
        return rows
    rows = compute(paths)
    if folder is not None and not any("error" in r for r in rows):
        manifest_cache.write(folder, LIST_PREFIX, key, {"key": key, "rows": rows})
    return rows
