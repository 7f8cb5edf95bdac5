"""Moodle GIFT export and import.

Export writes every question Moodle can hold: `choice` and `prediction` as multiple choice
(per-option feedback, the explanation as general feedback), `truefalse` as true/false, and
`flashcard` and `open` as essays (the reveal or the explanation as general feedback). What
GIFT has no place for (ids, misconception tags, rubrics, samples, checks, exercise tags) goes
in a `// grader: {json}` comment line before each question; Moodle ignores comments, and
import reads them back, so export-then-import gives the same quiz.

Import also reads GIFT written by hand or by Moodle: multiple choice with one right answer,
true/false, short answer (an open question with one concept: the accepted answers) and
essays (flashcards, the general feedback being the answer). Numerical, matching,
missing-word and partial-credit questions are refused with an error naming the question.

Escaping follows Moodle: a backslash before ~ = # { } : and \\ itself, and \\n for a newline
(a blank line would end the question).
"""

from __future__ import annotations

import json
import re
from typing import Optional

from grader import __version__
from grader.errors import ContentError
from grader.quiz.model import ChoiceItem, FlashcardItem, LoadedQuiz, Quiz, TrueFalseItem, parse_quiz

SPECIAL = "~=#{}:"
META = "// grader:"
QUIZ_META = "// grader-quiz:"
FORMATS = ("html", "moodle", "plain", "markdown")

# Escaped characters become private-use placeholders while the structure is parsed.
_PLACEHOLDER = {ch: chr(0xE000 + i) for i, ch in enumerate(SPECIAL + "n\\")}
_BACK = {v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDER.items()}


# -- export -------------------------------------------------------------------------------
def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _text(text: str) -> str:
    """An answer or feedback text. A leading '[' (a format marker?) or '%' (a weight?) gets an
    explicit format marker in front, so Moodle and `import_gift` read the text as text."""
    out = escape(text)
    return "[markdown]" + out if out.startswith(("[", "%")) else out


def _meta(item) -> dict:
    data = item.model_dump(mode="json", exclude_defaults=True)
    data["kind"] = item.kind
    for key in ("prompt", "explanation", "reveal", "answer"):
        data.pop(key, None)
    if "options" in data:
        data["options"] = [{k: v for k, v in o.items() if k not in ("text", "feedback", "correct")}
                           for o in data["options"]]
    return data


def export_gift(loaded: LoadedQuiz) -> str:
    quiz = loaded.quiz
    head = {k: v for k, v in quiz.model_dump(mode="json", exclude_defaults=True).items() if k != "questions"}
    head["format_version"] = quiz.format_version
    lines = [
        f"// Quiz '{loaded.name}' exported by autograd-grader {__version__}.",
        "// The '// grader:' comments keep what GIFT cannot hold; `grade import gift` reads them back.",
        f"{QUIZ_META} {json.dumps(head, ensure_ascii=False)}",
        "",
        f"$CATEGORY: {loaded.name}",
        "",
    ]
    for item in quiz.questions:
        lines.append(f"{META} {json.dumps(_meta(item), ensure_ascii=False)}")
        head_text = f"::{escape(item.id)}::[markdown]{escape(item.prompt)}"
        general = f"####{_text(item.explanation)}" if item.explanation else ""
        if isinstance(item, ChoiceItem):
            lines.append(head_text + "{")
            for o in item.options:
                fb = f"#{_text(o.feedback)}" if o.feedback else ""
                lines.append(f"\t{'=' if o.correct else '~'}{_text(o.text)}{fb}")
            if general:
                lines.append(f"\t{general}")
            lines.append("}")
        elif isinstance(item, TrueFalseItem):
            lines.append(f"{head_text}{{{'TRUE' if item.answer else 'FALSE'}{general}}}")
        elif isinstance(item, FlashcardItem):
            lines.append(f"{head_text}{{####{_text(item.reveal)}}}")
        else:
            lines.append(f"{head_text}{{{general}}}")
        lines.append("")
    return "\n".join(lines)


# -- import -------------------------------------------------------------------------------
def _protect(text: str) -> str:
    text = text.replace("\\\\", _PLACEHOLDER["\\"])
    for ch in SPECIAL + "n":
        text = text.replace("\\" + ch, _PLACEHOLDER[ch])
    return text


def _restore(text: str) -> str:
    return "".join(_BACK.get(c, c) for c in text)


def _clean(text: str) -> str:
    """A protected piece of text as plain text: format marker dropped, escapes undone, trimmed."""
    text = text.strip()
    m = re.match(r"^\[(\w+)\]", text)
    if m and m.group(1) in FORMATS:
        text = text[m.end():]
    return _restore(text).strip()


def _blocks(source: str) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, comment lines, other lines) for each blank-line-separated block."""
    out, comments, body, start = [], [], [], 0
    for n, line in enumerate(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not line.strip():
            if comments or body:
                out.append((start, comments, body))
            comments, body = [], []
            continue
        if not comments and not body:
            start = n
        (comments if line.strip().startswith("//") else body).append(line)
    if comments or body:
        out.append((start, comments, body))
    return out


def _meta_from(comments: list[str], prefix: str, where: tuple, field: str) -> Optional[dict]:
    for c in comments:
        c = c.strip()
        if c.startswith(prefix):
            try:
                data = json.loads(c[len(prefix):])
            except json.JSONDecodeError as exc:
                raise ContentError(where[0], field, f"the '{prefix}' comment is not valid JSON ({exc.msg})") from None
            if not isinstance(data, dict):
                raise ContentError(where[0], field, f"the '{prefix}' comment must hold a JSON object")
            return data
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")


def _unique(qid: str, used: set[str]) -> str:
    n, out = 2, qid
    while out in used:
        out, n = f"{qid}-{n}", n + 1
    return out


def _split_feedback(piece: str) -> tuple[str, str]:
    text, _, feedback = piece.partition("#")
    return _clean(text), _clean(feedback)


def _weight(piece: str) -> tuple[Optional[float], str]:
    m = re.match(r"^%(-?[0-9.]+)%", piece)
    if not m:
        return None, piece
    return float(m.group(1)), piece[m.end():]


def _question(text: str, meta: Optional[dict], number: int, path, field: str) -> Optional[dict]:
    def fail(problem: str) -> ContentError:
        return ContentError(path, field, problem)

    name = None
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise fail("the question name has no closing '::' (escape a literal colon as \\:)")
        name, text = _clean(text[2:end]), text[end + 2:].strip()
    opening, closing = text.find("{"), text.find("}")
    if opening < 0 and closing < 0:
        return None  # a description, not a question
    if opening < 0 or closing < opening:
        raise fail("unbalanced braces: the answers go between { and }; escape literal braces as \\{ and \\}")
    if text[closing + 1:].strip():
        raise fail("missing-word questions (text after the answers) are not supported; "
                   "put the answers at the end of the question")
    prompt = _clean(text[:opening])
    answers = text[opening + 1:closing].strip()
    general = ""
    if "####" in answers:
        answers, _, general = answers.rpartition("####")
        answers, general = answers.strip(), _clean(general)
    qid = (meta or {}).get("id") or _slug(name or "") or f"q{number}"
    base = {k: v for k, v in (meta or {}).items()}
    base.update({"id": qid, "prompt": prompt})

    if not answers:  # essay
        kind = base.get("kind", "flashcard")
        if kind == "open":
            return base | ({"explanation": general} if general else {})
        if not general:
            raise fail("an essay question becomes a flashcard, and needs general feedback (####...) as its answer")
        return base | {"kind": "flashcard", "reveal": general}
    if answers.startswith("#"):
        raise fail("numerical questions are not supported (multiple choice, true/false, short answer and essay are)")
    if "~" in answers:
        return _choice(answers, base, general, fail)
    if "=" in answers and "->" in answers:
        raise fail("matching questions are not supported (multiple choice, true/false, short answer and essay are)")
    bits = answers.split("#", 2)
    if bits[0].strip() in ("T", "TRUE", "F", "FALSE"):
        truth = bits[0].strip() in ("T", "TRUE")
        wrong = _clean(bits[1]) if len(bits) > 1 else ""
        right = _clean(bits[2]) if len(bits) > 2 else ""
        explanation = general or right or wrong or f"The statement is {'true' if truth else 'false'}."
        base.pop("options", None)
        return base | {"kind": "truefalse", "answer": truth, "explanation": explanation}
    return _short_answer(answers, base, general, fail)


def _choice(answers: str, base: dict, general: str, fail) -> dict:
    pieces = [p.strip() for p in answers.replace("=", "~=").split("~") if p.strip()]
    options = []
    for p in pieces:
        correct = p.startswith("=")
        p = p[1:] if correct else p
        weight, p = _weight(p)
        if weight is not None:
            if weight not in (0.0, 100.0):
                raise fail(f"partial credit (%{weight:g}%) is not supported: one option is right, the others wrong")
            correct = correct or weight == 100.0
        text, feedback = _split_feedback(p)
        options.append({"text": text, "correct": correct, "feedback": feedback})
    if sum(o["correct"] for o in options) != 1:
        raise fail(f"a multiple-choice question needs exactly one right answer (=), found "
                   f"{sum(o['correct'] for o in options)}")
    meta_options = base.get("options") or []
    for i, o in enumerate(options):
        extra = meta_options[i] if len(meta_options) == len(options) else {}
        o.update({k: v for k, v in extra.items() if k not in o})
        o.setdefault("id", chr(ord("a") + i))
        if not o["feedback"]:
            del o["feedback"]
    kind = base.get("kind") if base.get("kind") in ("choice", "prediction") else "choice"
    return base | {"kind": kind, "options": options} | ({"explanation": general} if general else {})


def _short_answer(answers: str, base: dict, general: str, fail) -> dict:
    phrases = []
    for p in answers.split("="):
        if not p.strip():
            continue
        weight, p = _weight(p.strip())
        if weight is not None and weight != 100.0:
            continue  # a partly-right answer is not an accepted phrasing
        text, _ = _split_feedback(p)
        if text:
            phrases.append(text)
    if not phrases:
        raise fail("a short-answer question needs at least one accepted answer (=...)")
    if base.get("kind") == "open" and base.get("rubric"):
        return base | ({"explanation": general} if general else {})
    rubric = [{"id": "answer", "name": phrases[0], "phrases": phrases}]
    return base | {"kind": "open", "rubric": rubric} | ({"explanation": general} if general else {})


def import_gift(source: str, path, title: Optional[str] = None) -> Quiz:
    """Parse GIFT text into a validated Quiz (errors name the file, the question and the problem)."""
    head: dict = {}
    category = None
    questions = []
    number = 0
    for start, comments, body in _blocks(source):
        where = (path,)
        found = _meta_from(comments, QUIZ_META, where, "quiz")
        if found is not None:
            head = found
        text = _protect("\n".join(line.strip() for line in body)).strip()
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            category = _clean(text[len("$CATEGORY:"):])
            continue
        number += 1
        field = f"question {number} (line {start})"
        meta = _meta_from(comments, META, where, field)
        q = _question(text, meta, number, path, field)
        if q is not None:
            q["id"] = _unique(q["id"], {x["id"] for x in questions})
            questions.append(q)
    if not questions:
        raise ContentError(path, "", "no questions found (GIFT questions are separated by blank lines)")
    data = {"format_version": 1, "title": title or head.get("title") or category or "Imported quiz"}
    data.update({k: v for k, v in head.items() if k not in ("format_version", "title", "questions")})
    if title:
        data["title"] = title
    data["questions"] = questions
    return parse_quiz(data, path).quiz
