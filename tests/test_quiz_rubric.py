"""Open questions: concept matching, and every shipped sample answer scores what it claims."""

from __future__ import annotations

import pytest

from grader.quiz.catalog import all_quizzes
from grader.quiz.model import Concept, OpenItem
from grader.quiz.rubric import match_concepts, phrase_in, similar, words

SAMPLES = [
    pytest.param(item, sample, id=f"{quiz.name}/{item.id}/sample{i}")
    for quiz in all_quizzes()
    for item in quiz.questions if isinstance(item, OpenItem)
    for i, sample in enumerate(item.samples)
]


@pytest.mark.parametrize("item, sample", SAMPLES)
def test_shipped_sample_answers_find_exactly_their_concepts(item, sample):
    result = match_concepts(sample.answer, item.rubric)
    assert set(result.found) == set(sample.found)
    assert result.summary == f"You got {len(sample.found)}/{len(item.rubric)} concepts."


@pytest.mark.parametrize("item", [
    pytest.param(item, id=f"{quiz.name}/{item.id}")
    for quiz in all_quizzes() for item in quiz.questions if isinstance(item, OpenItem)
])
def test_each_model_answer_names_every_concept(item):
    assert item.model_answer
    assert match_concepts(item.model_answer, item.rubric).missing == []


def test_there_are_samples_to_run():
    assert len(SAMPLES) >= 8


GRADIENTS = Concept(id="g", name="gradients", phrases=["gradient", "partial derivative"])
UPDATE = Concept(id="u", name="updates", phrases=["update weights"])


@pytest.mark.parametrize("answer", [
    "GRADIENTS", "the gradiant", "gradeints", "Partial Derivatives!", "a partial-derivative",
])
def test_case_endings_and_small_typos_are_forgiven(answer):
    assert match_concepts(answer, [GRADIENTS]).found == ["g"]


@pytest.mark.parametrize("answer", ["grades", "radiant energy", "derivative"])
def test_different_words_do_not_count(answer):
    assert match_concepts(answer, [GRADIENTS]).found == []


def test_phrases_allow_little_words_and_one_extra_word_in_between():
    assert match_concepts("it updates all of the weights", [UPDATE]).found == ["u"]
    assert match_concepts("it updates the model's weights", [UPDATE]).found == ["u"]
    assert match_concepts("update, then later, after a long while, weights", [UPDATE]).found == []


def test_short_words_match_exactly():
    assert not similar("loss", "lose")
    assert similar("error", "eror")  # the phrase word's length sets the allowance
    assert similar("computes", "computing")


def test_found_and_missing_are_named():
    result = match_concepts("gradients", [GRADIENTS, UPDATE])
    assert result.names_found == ["gradients"] and result.names_missing == ["updates"]
    assert result.summary == "You got 1/2 concepts."


def test_phrase_in_needs_order():
    assert phrase_in(words("chain rule"), words("by the chain rule"))
    assert not phrase_in(words("chain rule"), words("rule chain"))
