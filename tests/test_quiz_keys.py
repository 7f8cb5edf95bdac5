"""Keyed answers that can be computed are computed: a wrong key fails here.

Each question with a `check` runs its torch snippet; `result` must equal the keyed option's
`value` (or the true/false answer) and differ from every wrong option's value.
"""

from __future__ import annotations

import math

import pytest

from grader.quiz.catalog import all_quizzes
from grader.quiz.model import ChoiceItem, TrueFalseItem

CHECKED = [
    pytest.param(item, id=f"{quiz.name}/{item.id}")
    for quiz in all_quizzes()
    for item in quiz.questions if getattr(item, "check", None) is not None
]


def same(a, b, tol: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=0, abs_tol=tol)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, tol) for x, y in zip(a, b))
    return a == b


def run(code: str):
    import torch

    torch.manual_seed(0)
    namespace = {"torch": torch}
    exec(compile(code, "<quiz check>", "exec"), namespace)
    assert "result" in namespace, "a check must assign `result`"
    return namespace["result"]


def test_enough_keys_are_checked():
    assert len(CHECKED) >= 20


@pytest.mark.parametrize("item", CHECKED)
def test_keyed_answer_matches_what_torch_computes(item):
    result = run(item.check.code)
    tol = item.check.tolerance
    if isinstance(item, TrueFalseItem):
        assert result is item.answer or result == item.answer
        return
    assert isinstance(item, ChoiceItem)
    assert same(result, item.key.value, tol), f"torch gives {result!r}, the key says {item.key.value!r}"
    for option in item.options:
        if not option.correct:
            assert not same(result, option.value, tol), f"wrong option '{option.id}' also matches {result!r}"


def test_a_wrong_key_would_fail():
    """The comparison itself: a check whose key disagrees with torch is caught."""
    assert not same(run("result = torch.tensor(3.0).item() * 2"), 5.0, 1e-6)
    assert same(run("result = [1.0, 2.0]"), [1.0, 2.0], 1e-6)
