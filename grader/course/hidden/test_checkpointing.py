"""Hidden tests for exercise 14 (checkpointing)."""

import torch

from grader.authoring import Mismatch, describe, expect_tensor, points


def problem(rng):
    depth = int(torch.randint(10, 17, (1,), generator=rng))
    width = int(torch.randint(8, 17, (1,), generator=rng))
    segments = int(torch.randint(2, 5, (1,), generator=rng))
    weights = [torch.randn(width, width, generator=rng) / width ** 0.5 for _ in range(depth)]
    biases = [torch.randn(width, generator=rng) * 0.1 for _ in range(depth)]
    x = torch.randn(int(torch.randint(4, 9, (1,), generator=rng)), width, generator=rng)
    return weights, biases, x, segments


def plain_gradients(weights, biases, x) -> list[torch.Tensor]:
    """The same stack without checkpointing, here in the grader."""
    params = [w.clone().requires_grad_(True) for w in weights]
    h = x
    for w, b in zip(params, biases):
        h = h + torch.tanh(h @ w.T + b)
    h.pow(2).mean().backward()
    return [p.grad for p in params]


def forward_calls(student) -> int:
    count = student.FORWARD_CALLS.value()
    if type(count) is not int:
        raise Mismatch("FORWARD_CALLS should stay the given counter (an int); keep the given Block unchanged")
    return count


def gradients(student, weights, biases, x, segments) -> list[torch.Tensor]:
    name = f"stack_gradients(...) for {len(weights)} blocks in {segments} segments"
    got = student.stack_gradients(weights, biases, x, segments)
    if not isinstance(got, (list, tuple)) or len(got) != len(weights):
        raise Mismatch(f"{name}: expected a list of {len(weights)} gradients, one per block, received {describe(got)}")
    missing = [i for i, g in enumerate(got) if g is None]
    if missing:
        raise Mismatch(f"{name}: blocks {missing[:6]}{'…' if len(missing) > 6 else ''} got no gradient (None). "
                       "The reentrant checkpoint skips segments whose input does not require grad",
                       signal="checkpoint-no-input-grad")
    return list(got)


@points(2)
def test_same_gradients_as_without_checkpointing(student, rng):
    weights, biases, x, segments = problem(rng)
    got = gradients(student, weights, biases, x, segments)
    for i, (g, want) in enumerate(zip(got, plain_gradients(weights, biases, x))):
        expect_tensor(g, want, name=f"the gradient of block {i}'s weight", atol=1e-5, rtol=1e-4)


@points(2)
def test_activations_are_recomputed_during_backward(student, rng, record):
    weights, biases, x, segments = problem(rng)
    before = forward_calls(student)
    gradients(student, weights, biases, x, segments)
    calls = forward_calls(student) - before
    record.metric("block_forward_calls", calls)
    record.metric("blocks", len(weights))
    if calls <= len(weights):
        raise Mismatch(f"each of the {len(weights)} blocks ran forward once ({calls} calls) and nothing was "
                       "recomputed during backward, so every intermediate value was kept in memory",
                       signal="checkpoint-not-used")
