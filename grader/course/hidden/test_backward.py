"""Hidden tests for exercise 3 (backward)."""

import torch

from grader.authoring import expect_grad, points, random_values


@points(2)
def test_cubic_grad(student, rng):
    values = random_values(rng)
    grad = student.cubic_grad(values)
    expect_grad(grad, 3 * torch.tensor(values) ** 2, name=f"cubic_grad({values})")


@points(2)
def test_square_grad(student, rng):
    values = random_values(rng)
    grad = student.square_grad(values)
    expect_grad(grad, 2 * torch.tensor(values), name=f"square_grad({values})")
