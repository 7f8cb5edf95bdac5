"""Writing a quiz back as a quiz file (TOML), e.g. after `grade import gift`."""

from __future__ import annotations

from grader.quiz.model import Quiz, dump_quiz


def quiz_to_toml(quiz: Quiz, source: str = "") -> str:
    import tomli_w

    header = "# A quiz file for autograd-grader (see docs/QUIZ_FORMAT.md)."
    if source:
        header += f"\n# Imported from {source}; review the ids, explanations and tags before use."
    return header + "\n" + tomli_w.dumps(dump_quiz(quiz), multiline_strings=True)
