"""The quiz file format: every shipped quiz validates, and malformed files name file, question and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from grader.errors import ContentError, UnknownName
from grader.quiz.catalog import all_quizzes, find_quiz, quiz_names
from grader.quiz.model import ChoiceItem, OpenItem, load_quiz_file

SHIPPED = quiz_names()


def write(tmp_path: Path, body: str, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_CHOICE = """
format_version = 1
title = "T"

[[questions]]
id = "q1"
kind = "choice"
prompt = "Pick"
explanation = "Because."

[[questions.options]]
id = "a"
text = "right"
correct = true

[[questions.options]]
id = "b"
text = "wrong"
misconception = "tag"
"""


def test_the_course_ships_the_expected_quizzes():
    assert {"recap", "myths", "predictions", "pipeline", "training", "mechanics", "flashcards"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_quiz_validates_and_explains_its_misses(name):
    quiz = find_quiz(name)
    assert quiz.questions
    for item in quiz.questions:
        if item.max_score > 0:
            assert item.explanation, f"{name}/{item.id}: a scored question needs an explanation for the summary"
        if isinstance(item, OpenItem):
            assert len(item.samples) >= 2, f"{name}/{item.id}: ship sample answers with their concept counts"
        if isinstance(item, ChoiceItem):
            for o in item.options:
                if not o.correct:
                    assert o.feedback or item.explanation


def test_recap_holds_the_seed_004_questions():
    recap = find_quiz("recap")
    kinds = [q.kind for q in recap.questions]
    assert kinds.count("choice") == 5 and kinds.count("open") == 2
    assert all(len(q.rubric) == 4 for q in recap.questions if q.kind == "open")  # "you got N/4 concepts"


def test_seed_counts_myths_predictions_and_flashcards():
    assert [q.kind for q in find_quiz("myths").questions] == ["truefalse"] * 4
    assert [q.kind for q in find_quiz("predictions").questions] == ["prediction"] * 5
    cards = find_quiz("flashcards").questions
    seed_cards = [c for c in cards if c.seed_ref.startswith("004")]
    assert [c.level for c in seed_cards] == ["beginner", "beginner", "intermediate", "intermediate", "advanced"]


def test_question_ids_are_unique_across_each_quiz():
    for quiz in all_quizzes():
        ids = [q.id for q in quiz.questions]
        assert len(ids) == len(set(ids))


def test_a_good_file_loads(tmp_path):
    quiz = load_quiz_file(write(tmp_path, GOOD_CHOICE, "good.toml"))
    assert quiz.name == "good" and quiz.max_score == 1.0 and len(quiz.version) == 12


@pytest.mark.parametrize("change, field, problem", [
    (("correct = true", "correct = false"), "question 1 (id 'q1')", "exactly one option must have correct = true"),
    (('kind = "choice"', 'kind = "essay"'), "question 1 (id 'q1')", "unknown kind 'essay'"),
    (('kind = "choice"\n', ''), "question 1 (id 'q1')", "missing 'kind'"),
    (('text = "wrong"', 'txt = "wrong"'), "question 1 (id 'q1').options[1].txt", "unknown field"),
    (('id = "q1"', 'id = "Q 1"'), "question 1 (id 'Q 1').id", "lowercase"),
    (('prompt = "Pick"', 'prompt = ""'), "question 1 (id 'q1').prompt", "at least 1 character"),
])
def test_malformed_quiz_names_file_question_and_field(tmp_path, change, field, problem):
    path = write(tmp_path, GOOD_CHOICE.replace(*change))
    with pytest.raises(ContentError) as info:
        load_quiz_file(path)
    message = str(info.value)
    assert str(path) in message and field in message and problem in message


def test_misconception_on_the_key_is_refused(tmp_path):
    body = GOOD_CHOICE.replace('correct = true', 'correct = true\nmisconception = "oops"')
    with pytest.raises(ContentError, match="cannot carry a misconception"):
        load_quiz_file(write(tmp_path, body))


def test_a_check_needs_a_value_on_every_option(tmp_path):
    body = GOOD_CHOICE.replace('explanation = "Because."', 'explanation = "Because."\ncheck = { code = "result = 1" }')
    with pytest.raises(ContentError, match=r"every option needs a value \(missing: a, b\)"):
        load_quiz_file(write(tmp_path, body))


def test_not_toml_and_wrong_version(tmp_path):
    with pytest.raises(ContentError, match="not valid TOML"):
        load_quiz_file(write(tmp_path, "title = ", "bad.toml"))
    with pytest.raises(ContentError, match="format_version"):
        load_quiz_file(write(tmp_path, GOOD_CHOICE.replace("format_version = 1", "format_version = 9")))


def test_open_question_samples_must_name_rubric_concepts(tmp_path):
    body = """
    format_version = 1
    title = "T"
    [[questions]]
    id = "o"
    kind = "open"
    prompt = "Explain"
    explanation = "x"
    rubric = [{ id = "grad", name = "gradients", phrases = ["gradient"] }]
    samples = [{ answer = "gradients", found = ["gradz"] }]
    """
    with pytest.raises(ContentError, match="question 1 \\(id 'o'\\).*unknown concepts: gradz"):
        load_quiz_file(write(tmp_path, body))


def test_duplicate_question_ids(tmp_path):
    body = GOOD_CHOICE + GOOD_CHOICE.split("title = \"T\"")[1]
    with pytest.raises(ContentError, match="'q1' is used twice"):
        load_quiz_file(write(tmp_path, body))


def test_unknown_quiz_suggests_the_closest_names():
    with pytest.raises(UnknownName) as info:
        find_quiz("recpa")
    assert "recap" in info.value.suggestions
    with pytest.raises(UnknownName) as info:
        find_quiz("zzzzzz")
    assert set(info.value.suggestions) == set(SHIPPED)  # nothing close: list them all


def test_every_exercise_concept_has_a_quiz_item():
    """Each exercise in the manifest is practised by at least one quiz item (its `exercises` tag)."""
    from grader import course

    slugs = {ex.slug for ex in course.load().exercises}
    tagged: dict[str, list[str]] = {}
    for quiz in all_quizzes():
        for item in quiz.questions:
            for slug in item.exercises:
                tagged.setdefault(slug, []).append(f"{quiz.name}/{item.id}")
    assert not sorted(slugs - set(tagged)), "exercises without a quiz item"
    assert not sorted(set(tagged) - slugs), "quiz items tagged with an exercise slug the manifest does not have"
    scored = {slug for quiz in all_quizzes() for item in quiz.questions if item.max_score > 0
              for slug in item.exercises}
    assert slugs <= scored, "every exercise concept needs a scored item, not only a flashcard"


# -- fair items: the key is not given away by its length or by the quiz's description ------------
def _longest_key_tail(items: list) -> tuple[int, float]:
    """(how many keys are strictly the longest option, P(at least that many by chance)), where by
    chance each of an item's n options is equally likely to be the longest (a Poisson binomial)."""
    observed = 0
    probs = []
    for item in items:
        lengths = [len(o.text) for o in item.options]
        key = len(item.key.text)
        observed += key > max(n for o, n in zip(item.options, lengths) if not o.correct)
        probs.append(1 / len(item.options))
    dist = [1.0]
    for p in probs:
        dist = [(dist[k] if k < len(dist) else 0) * (1 - p) + (dist[k - 1] * p if k else 0)
                for k in range(len(dist) + 1)]
    return observed, sum(dist[observed:])


def _choice_items(quiz) -> list:
    from grader.quiz.model import ChoiceItem

    return [q for q in quiz.questions if isinstance(q, ChoiceItem)]


@pytest.mark.parametrize("name", SHIPPED)
def test_no_quiz_keys_the_longest_option_more_often_than_chance_allows(name):
    items = _choice_items(find_quiz(name))
    if not items:
        pytest.skip("no choice or prediction items")
    observed, tail = _longest_key_tail(items)
    assert tail >= 0.05, f"{name}: the key is the longest option in {observed} of {len(items)} items (p = {tail:.3f})"


def test_over_all_quizzes_the_longest_option_is_no_tell():
    items = [i for name in SHIPPED for i in _choice_items(find_quiz(name))]
    observed, tail = _longest_key_tail(items)
    assert len(items) >= 40 and tail >= 0.2, f"{observed} of {len(items)} keys are the longest option (p = {tail:.3f})"


def test_the_myths_quiz_mixes_true_and_false_and_its_description_gives_nothing_away():
    myths = find_quiz("myths")
    answers = [q.answer for q in myths.questions]
    assert True in answers and False in answers
    text = (myths.title + " " + myths.description).lower()
    assert not any(word in text for word in ("all false", "all true", "myths people", "people often believe"))
