"""Hidden tests for exercise 2 (inplace)."""

import torch

from grader.authoring import expect_grad, points, random_scalar, random_values


@points(2)
def test_shifted_exp_grad(student, rng):
    values, shift = random_values(rng), random_scalar(rng)
    grad = student.shifted_exp_grad(values, shift)
    expect_grad(grad, torch.exp(torch.tensor(values)), name=f"shifted_exp_grad({values}, {shift})")


@points(2)
def test_bumped_square_grad(student, rng):
    values, bump = random_values(rng), random_scalar(rng)
    grad = student.bumped_square_grad(values, bump)
    expect_grad(grad, 2 * (torch.tensor(values) + bump), name=f"bumped_square_grad({values}, {bump})")
