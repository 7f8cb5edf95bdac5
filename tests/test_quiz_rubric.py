"""Open questions: evidence within a clause (negation, lists, echoes, typos), and every shipped
sample answer scores what it claims."""

from __future__ import annotations

import pytest

from grader.quiz.catalog import all_quizzes, find_quiz
from grader.quiz.model import Concept, OpenItem
from grader.quiz.rubric import compile_pattern, correct, is_keyword_list, lemma, match_concepts, score_item, tokens

SAMPLES = [
    pytest.param(item, sample, id=f"{quiz.name}/{item.id}/sample{i}")
    for quiz in all_quizzes()
    for item in quiz.questions if isinstance(item, OpenItem)
    for i, sample in enumerate(item.samples)
]


@pytest.mark.parametrize("item, sample", SAMPLES)
def test_shipped_sample_answers_find_exactly_their_concepts(item, sample):
    result = score_item(sample.answer, item)
    assert set(result.found) == set(sample.found)
    assert result.summary == f"You got {len(sample.found)}/{len(item.rubric)} concepts."


@pytest.mark.parametrize("item", [
    pytest.param(item, id=f"{quiz.name}/{item.id}")
    for quiz in all_quizzes() for item in quiz.questions if isinstance(item, OpenItem)
])
def test_each_model_answer_names_every_concept(item):
    assert item.model_answer
    result = score_item(item.model_answer, item)
    assert result.missing == [] and result.uncertain == []


def test_there_are_samples_to_run():
    assert len(SAMPLES) >= 8


GRADIENTS = Concept(id="g", name="gradients", phrases=["@compute @grad"])
UPDATE = Concept(id="u", name="updates", phrases=["@change @param"], avoid=["@param fixed|frozen"])
SLOW = Concept(id="s", name="slow", phrases=["@slow"])
AUTOMATIC = Concept(id="a", name="automatic", phrases=["@automatic", "@neg @manual"])


@pytest.mark.parametrize("answer", [
    "it COMPUTES the GRADIENTS", "it computs the gradiants", "finds the derivatives", "gives you the slopes",
    "the gradient, which it works out",
])
def test_case_inflections_synonyms_and_small_typos_are_evidence(answer):
    assert match_concepts(answer, [GRADIENTS]).found == ["g"]


@pytest.mark.parametrize("answer", [
    "It doesn't compute gradients, it just runs the model forward.",
    "it never calculates any derivative",
    "Gradients are not computed; the weights are updated",
])
def test_a_negated_claim_earns_nothing(answer):
    assert match_concepts(answer, [GRADIENTS]).found == []


def test_negation_ends_at_its_scope():
    assert match_concepts("It does not guess, it computes the gradients", [GRADIENTS]).found == ["g"]


def test_a_pattern_may_use_a_negator_itself():
    assert match_concepts("you don't have to do it by hand", [AUTOMATIC]).found == ["a"]
    assert match_concepts("you still have to do it by hand", [AUTOMATIC]).found == []


def test_nothing_would_be_hard_is_not_slow():
    assert match_concepts("Nothing would be hard, it's not slow, not complicated", [SLOW]).found == []


def test_a_claim_both_asserted_and_retracted_is_uncertain():
    result = match_concepts("It would be slow. Honestly, it would not be slow at all.", [SLOW])
    assert result.found == [] and result.uncertain == ["s"]


def test_a_contradicting_claim_vetoes_the_concept():
    assert match_concepts("the weights are updated", [UPDATE]).found == ["u"]
    assert match_concepts("the weights are updated and then the weights stay fixed", [UPDATE]).found == []


def test_words_from_separate_clauses_are_no_claim():
    assert match_concepts("It updates. Weights are nice.", [UPDATE]).found == []


@pytest.mark.parametrize("answer", ["gradients, chain rule, optimizer, loss", "Gradients. Update. Loss.",
                                    "chain rule + backprop + SGD", "slow, tedious, forever"])
def test_a_list_of_keywords_earns_nothing(answer):
    assert is_keyword_list(answer)
    result = match_concepts(answer, [GRADIENTS, UPDATE, SLOW])
    assert result.found == []


def test_two_descriptive_fragments_are_not_a_keyword_list():
    assert not is_keyword_list("complicated math + hundreds of layers")


def test_echoing_the_prompt_is_no_evidence():
    item = find_quiz("mechanics").question("why-inplace-breaks")
    echo = score_item("An in-place operation such as x += 1 can break gradient computation.", item)
    assert echo.found == []
    assert "consequence" in score_item("x += 1 makes backward raise a RuntimeError.", item).found


def test_the_name_automatic_differentiation_is_not_the_automatic_concept():
    item = find_quiz("recap").question("how-ad-helps")
    assert score_item("It helps train the network by doing automatic differentiation.", item).found == []
    assert score_item("It computes the gradients automatically.", item).found == ["gradients", "automatic"]


def test_typo_correction_never_turns_a_real_word_into_another():
    assert correct("los") == "loss"  # not a word: a known misspelling
    assert lemma(correct("lose")) != lemma("loss")
    assert correct("gradiants") == "gradients"


def test_code_is_read_as_what_it_does():
    assert "outofplace" in [t.word for t in tokens("write x = x + 1")]
    assert "inplaceop" in [t.word for t in tokens("x += 1 or y.mul_(2)")]


def test_weak_evidence_is_uncertain_never_found():
    weak = Concept(id="w", name="weak", phrases=["?optimizer step"])
    result = match_concepts("the optimizer takes a step", [weak])
    assert result.found == [] and result.uncertain == ["w"]


def test_found_missing_and_uncertain_are_named():
    result = match_concepts("it computes the gradients", [GRADIENTS, UPDATE])
    assert result.names_found == ["gradients"] and result.names_missing == ["updates"]
    assert result.summary == "You got 1/2 concepts."


def test_an_unknown_word_class_is_a_content_error(tmp_path):
    from grader.errors import ContentError
    from grader.quiz.model import load_quiz_file

    path = tmp_path / "x.toml"
    path.write_text('format_version = 1\ntitle = "x"\n[[questions]]\nid = "q"\nkind = "open"\nprompt = "p"\n'
                    '[[questions.rubric]]\nid = "c"\nname = "c"\nphrases = ["@nosuchclass word"]\n')
    with pytest.raises(ContentError, match=r"rubric\[0\]\.phrases.*@nosuchclass"):
        load_quiz_file(path)


def test_plain_phrases_still_work():
    concept = Concept(id="b", name="backward", phrases=["backward()", "loss.backward()"])
    assert match_concepts("call backward() on the loss", [concept]).found == ["b"]
    assert compile_pattern("reduce loss").slots
