"""The course's quizzes: every *.toml file in grader.course.quizzes_dir(), looked up by name."""

from __future__ import annotations

from pathlib import Path

from grader.errors import UnknownName
from grader.names import closest
from grader.quiz.model import LoadedQuiz, load_quiz_file


def quiz_paths(folder: Path | None = None) -> dict[str, Path]:
    from grader.course import quizzes_dir

    folder = folder or quizzes_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def quiz_names(folder: Path | None = None) -> list[str]:
    return list(quiz_paths(folder))


def find_quiz(name: str, folder: Path | None = None) -> LoadedQuiz:
    """Load the quiz called `name`; an unknown name lists the closest ones (or all, if none is close)."""
    paths = quiz_paths(folder)
    key = name.strip().lower().removesuffix(".toml")
    if key in paths:
        return load_quiz_file(paths[key])
    names = list(paths)
    raise UnknownName("quiz", name, closest(key, names) or names)


def all_quizzes(folder: Path | None = None) -> list[LoadedQuiz]:
    return [load_quiz_file(p) for p in quiz_paths(folder).values()]
