"""Moodle GIFT and Aiken: escaping, round trips, hand-written input and refusals."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.errors import ContentError
from grader.quiz.aiken import export_aiken, import_aiken
from grader.quiz.catalog import all_quizzes, find_quiz
from grader.quiz.gift import _clean, _protect, _text, escape, export_gift, import_gift
from grader.quiz.model import LoadedQuiz, parse_quiz
from grader.quiz.tomlout import quiz_to_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

QUIZZES = [pytest.param(q, id=q.name) for q in all_quizzes()]
CODE_TEXT = "d = {'a': 1}\nx == y ~ z # not a comment: {b} \\n \\\\ http://x.org/a:b\n  indented = [1, 2]"


def loaded(data: dict, name: str = "t") -> LoadedQuiz:
    return parse_quiz(data, "test", name, "v")


# -- escaping -----------------------------------------------------------------------------
def test_escape_covers_every_gift_special_character():
    assert escape("a{b}c=d~e#f:g\\h\ni") == "a\\{b\\}c\\=d\\~e\\#f\\:g\\\\h\\ni"


text_strategy = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
    | st.sampled_from(list("{}=~#:\\\n[]%->")), min_size=1, max_size=60,
).map(str.strip).filter(bool)


@settings(max_examples=200, deadline=None)
@given(text_strategy)
def test_escape_then_parse_gives_the_text_back(text):
    assert _clean(_protect(_text(text))) == text.strip()


@settings(max_examples=60, deadline=None)
@given(prompt=text_strategy, right=text_strategy, wrong=text_strategy, feedback=text_strategy, why=text_strategy)
def test_any_text_survives_a_gift_round_trip(prompt, right, wrong, feedback, why):
    if right == wrong:
        wrong += " (no)"
    quiz = loaded({"format_version": 1, "title": prompt, "questions": [
        {"id": "q", "kind": "choice", "prompt": prompt, "explanation": why, "options": [
            {"id": "r", "text": right, "correct": True, "feedback": feedback},
            {"id": "w", "text": wrong, "misconception": "tag"}]},
        {"id": "t", "kind": "truefalse", "prompt": prompt, "answer": False, "explanation": why},
        {"id": "c", "kind": "flashcard", "prompt": prompt, "reveal": why},
    ]})
    back = import_gift(export_gift(quiz), "x.gift")
    assert back == quiz.quiz


def test_option_text_that_looks_like_a_weight_or_format_stays_text():
    quiz = loaded({"format_version": 1, "title": "T", "questions": [
        {"id": "q", "kind": "choice", "prompt": "p", "options": [
            {"id": "a", "text": "%50% of the time", "correct": True, "feedback": "[html] is literal"},
            {"id": "b", "text": "[plain] never"}]}]})
    assert import_gift(export_gift(quiz), "x.gift") == quiz.quiz


# -- round trips of the shipped quizzes --------------------------------------------------
@pytest.mark.parametrize("quiz", QUIZZES)
def test_gift_export_then_import_gives_the_same_quiz(quiz):
    text = export_gift(quiz)
    assert import_gift(text, f"{quiz.name}.gift") == quiz.quiz


@pytest.mark.parametrize("quiz", QUIZZES)
def test_written_toml_reads_back_as_the_same_quiz(quiz):
    text = quiz_to_toml(quiz.quiz, "x.gift")
    assert parse_quiz(tomllib.loads(text), "x.toml").quiz == quiz.quiz


def test_gift_output_has_no_blank_line_inside_a_question():
    text = export_gift(find_quiz("mechanics"))  # prompts full of code and newlines
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        if lines and lines[0].startswith("::"):
            assert lines[-1].endswith("}")
    assert "\\n" in text and "\\=" in text


# -- hand-written (Moodle) GIFT -----------------------------------------------------------
MOODLE = r"""
// question: 1  name: tomb
::Grant's tomb::Who is buried in Grant's tomb?{
    ~Grant#No, he is entombed.
    =no one#Right: entombed, not buried.
    ~Jefferson
    ####Above ground means entombed.
}

::TF1::Autograd needs requires_grad\=True on leaves.{TRUE#Wrong: it does.#Yes.}

Which call computes gradients?{=backward() =loss.backward()####It walks the graph back.}

::Essay::Explain the chain rule.{####Local derivatives multiply along the path.}

::Intro:: This text is a description, not a question.
"""


def test_moodle_gift_becomes_choice_truefalse_open_and_flashcard():
    quiz = import_gift(MOODLE, "moodle.gift", title="From Moodle")
    kinds = [(q.id, q.kind) for q in quiz.questions]
    assert kinds == [("grant-s-tomb", "choice"), ("tf1", "truefalse"), ("q3", "open"), ("essay", "flashcard")]
    tomb = quiz.questions[0]
    assert tomb.key.text == "no one" and tomb.options[0].feedback == "No, he is entombed."
    assert tomb.explanation == "Above ground means entombed."
    assert quiz.questions[1].answer is True and "requires_grad=True" in quiz.questions[1].prompt
    assert quiz.questions[2].rubric[0].phrases == ["backward()", "loss.backward()"]
    assert quiz.questions[3].reveal == "Local derivatives multiply along the path."
    assert quiz.title == "From Moodle"


@pytest.mark.parametrize("source, problem", [
    ("::n::Year?{#1822:5}", "numerical questions are not supported"),
    ("::m::Match{=a -> b =c -> d}", "matching questions are not supported"),
    ("::w::Grant is {~buried =entombed} in the tomb.", "missing-word"),
    ("::p::Pick{~%50%half =full ~none}", "partial credit"),
    ("::two::Pick{=a =b ~c}", "exactly one right answer"),
    ("::b::Unbalanced { =a ~b", "unbalanced braces"),
    ("::e::Essay without feedback{}", "needs general feedback"),
])
def test_unsupported_gift_is_refused_naming_the_question(source, problem):
    with pytest.raises(ContentError) as info:
        import_gift("// header\n\n" + source, "bad.gift")
    assert "bad.gift" in str(info.value) and "question 1 (line 3)" in str(info.value) and problem in str(info.value)


def test_empty_gift_is_refused():
    with pytest.raises(ContentError, match="no questions found"):
        import_gift("// only a comment\n", "empty.gift")


# -- Aiken --------------------------------------------------------------------------------
def test_aiken_round_trip_keeps_prompts_options_and_keys():
    recap = find_quiz("recap")
    exported = export_aiken(recap)
    assert exported.skipped == ["how-ad-helps", "manual-difficulties"]
    back = import_aiken(exported.text, "recap.txt", "Recap")
    choices = [q for q in recap.questions if q.kind == "choice"]
    assert [q.prompt for q in back.questions] == [q.prompt for q in choices]
    for mine, theirs in zip(choices, back.questions):
        assert [o.text for o in theirs.options] == [o.text for o in mine.options]
        assert theirs.key.text == mine.key.text


def test_aiken_flattens_multi_line_text_and_says_so():
    exported = export_aiken(find_quiz("mechanics"))
    assert "no-requires-grad" in exported.flattened
    assert all(not line.startswith("\n") for line in exported.text.split("\n\n"))
    assert import_aiken(exported.text, "m.txt").questions


def test_aiken_errors_name_the_question():
    with pytest.raises(ContentError, match=r"question 2 \(line 6\).*ANSWER: E names no option"):
        import_aiken("Q1?\nA. x\nB. y\nANSWER: A\n\nQ2?\nA. x\nB. y\nANSWER: E\n", "a.txt")
    with pytest.raises(ContentError, match="no 'ANSWER: X' line"):
        import_aiken("Q1?\nA. x\nB. y\n", "a.txt")
