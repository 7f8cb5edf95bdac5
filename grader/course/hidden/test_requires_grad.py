"""Hidden tests for exercise 1 (requires-grad)."""

import torch

from grader.authoring import expect_grad, expect_leaf, expect_requires_grad, expect_tensor, points, random_values


@points(1)
def test_make_weights_holds_the_values(student, rng):
    values = random_values(rng)
    w = student.make_weights(values)
    expect_tensor(w, torch.tensor(values, dtype=torch.float32), name=f"make_weights({values})")


@points(2)
def test_make_weights_is_tracked_by_autograd(student, rng):
    values = random_values(rng)
    w = expect_tensor(student.make_weights(values), shape=(len(values),), name="make_weights(values)")
    expect_requires_grad(w, name="make_weights(values)")
    expect_leaf(w, name="make_weights(values)")


@points(2)
def test_grad_of_squares(student, rng):
    values = random_values(rng)
    grad = student.grad_of_squares(values)
    expect_grad(grad, 2 * torch.tensor(values), name=f"grad_of_squares({values})")
