"""Calls into the worker: many calls of one function in one round trip behave as one call each."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.sandbox.errors import StudentError

PROBE = '''
import torch

SEEN = []

def draw(scale):
    return float(torch.rand(1)) * scale

def step(x):
    SEEN.append(x)
    if x == 3:
        raise ValueError(f"bad batch {x}")
    return torch.tensor([float(x)], requires_grad=True) * 2
'''


@pytest.fixture
def session(sandbox, tmp_path: Path):
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    opened = []

    def open_one():
        s = sandbox.session(probe, "probe", 5)
        s.set_deadline(60, "60 s")
        s.load()
        opened.append(s)
        return s

    yield open_one
    for s in opened:
        s.close()


def test_call_each_gives_what_one_call_after_another_gives_seeds_included(session):
    one_by_one = session()
    expected = [one_by_one.call("draw", k, label="draw") for k in (1, 2, 3, 4)]
    batched = session()
    assert batched.call_each("draw", [((k,), {}) for k in (1, 2, 3, 4)], label="draw") == expected
    assert len(set(expected)) == 4  # each call had its own seed
    assert batched.call("draw", 1) == one_by_one.call("draw", 1)  # and the count of calls agrees


def test_call_each_returns_tensors_with_their_autograd_facts(session):
    s = session()
    (a, b) = s.call_each("step", [((1,), {}), ((2,), {})], label="step")
    assert a.tolist() == [2.0] and b.tolist() == [4.0]
    assert a.student_meta["grad_fn"] == "MulBackward0" and not a.student_meta["is_leaf"]


def test_call_each_stops_at_the_first_call_that_raises_and_says_which(session):
    s = session()
    with pytest.raises(StudentError) as caught:
        s.call_each("step", [((k,), {}) for k in range(1, 6)], label="step")
    err = caught.value
    assert err.headline() == "step(...) raised ValueError: bad batch 3"
    assert err.info["call"] == [2, 5]  # the third of five
    assert err.frames and err.frames[-1][0] == "probe.py"  # the student's own frame
    assert s.call("SEEN", getattr_only=True) == [1, 2, 3]  # nothing ran after it
