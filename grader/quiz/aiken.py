"""Aiken format (Moodle): single-choice questions only, one line each.

    What does loss.backward() compute?
    A. The loss itself
    B. The gradient of the loss with respect to every tracked tensor
    ANSWER: B

Aiken has no feedback, explanations or escapes, and a question must fit on one line, so
export keeps only `choice` and `prediction` questions (options in the file's order) and
joins multi-line text with spaces; `export_aiken` reports what it left out or flattened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.errors import ContentError
from grader.quiz.model import LETTERS, ChoiceItem, LoadedQuiz, Quiz, parse_quiz

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


@dataclass
class AikenExport:
    text: str
    skipped: list[str] = field(default_factory=list)  # question ids with no Aiken form
    flattened: list[str] = field(default_factory=list)  # question ids whose line breaks became spaces


def _one_line(text: str) -> str:
    return " ".join(text.split())


def export_aiken(loaded: LoadedQuiz) -> AikenExport:
    out = AikenExport("")
    blocks = []
    for item in loaded.questions:
        if not isinstance(item, ChoiceItem):
            out.skipped.append(item.id)
            continue
        texts = [item.prompt] + [o.text for o in item.options]
        if any(_one_line(t) != t for t in texts):
            out.flattened.append(item.id)
        lines = [_one_line(item.prompt)]
        lines += [f"{LETTERS[i]}. {_one_line(o.text)}" for i, o in enumerate(item.options)]
        lines.append(f"ANSWER: {LETTERS[[o.correct for o in item.options].index(True)]}")
        blocks.append("\n".join(lines))
    out.text = "\n\n".join(blocks) + ("\n" if blocks else "")
    return out


def import_aiken(source: str, path, title: str = "Imported quiz") -> Quiz:
    questions: list[dict] = []
    prompt: list[str] = []
    options: list[dict] = []
    start = 0

    def fail(problem: str) -> ContentError:
        return ContentError(path, f"question {len(questions) + 1} (line {start})", problem)

    for n, raw in enumerate(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if not prompt and not options:
            start = n
        answer, option = _ANSWER.match(line), _OPTION.match(line)
        if answer:
            letter = answer.group(1)
            if not prompt:
                raise fail("ANSWER: comes before any question text")
            if len(options) < 2:
                raise fail("a question needs at least two options (A. ..., B. ...)")
            letters = [o["letter"] for o in options]
            if letter not in letters:
                raise fail(f"ANSWER: {letter} names no option (options: {', '.join(letters)})")
            questions.append({
                "id": f"q{len(questions) + 1}",
                "kind": "choice",
                "prompt": "\n".join(prompt),
                "options": [{"id": o["letter"].lower(), "text": o["text"], "correct": o["letter"] == letter}
                            for o in options],
            })
            prompt, options = [], []
        elif option and prompt:
            options.append({"letter": option.group(1), "text": option.group(2)})
        elif options:
            raise fail(f"expected another option or 'ANSWER: X' after the options, got {line[:40]!r}")
        else:
            prompt.append(line)
    if prompt or options:
        raise fail("the last question has no 'ANSWER: X' line")
    if not questions:
        raise ContentError(path, "", "no questions found (each ends with a line 'ANSWER: X')")
    return parse_quiz({"format_version": 1, "title": title, "questions": questions}, path).quiz
