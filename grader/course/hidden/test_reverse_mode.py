"""Hidden tests for exercise 6 (reverse-mode)."""

import torch

from grader.authoring import Mismatch, expect_tensor, points


def problem(rng):
    n = int(torch.randint(200, 401, (1,), generator=rng))
    m = int(torch.randint(24, 41, (1,), generator=rng))
    w = torch.randn(n, generator=rng)
    X = torch.randn(m, n, generator=rng) / n ** 0.5
    y = torch.rand(m, generator=rng) - 0.5
    return w, X, y


def trusted_model(w, X):
    return torch.tanh(X @ w)


def passes(student) -> int:
    count = student.BACKWARD_PASSES.value()
    if type(count) is not int:
        raise Mismatch("BACKWARD_PASSES should stay the given counter (an int); keep the given model unchanged")
    return count


def expect_one_pass(used: int, m: int, name: str) -> None:
    if used != 1:
        raise Mismatch(f"{name}: the value is right, but it took {used} reverse passes through the model for "
                       f"{m} outputs. Reverse mode needs one: differentiate the scalar (or pass the vector as "
                       "grad_outputs) instead of building the Jacobian", signal="jacobian-instead-of-vjp")


@points(2)
def test_loss_gradient_in_one_reverse_pass(student, rng, record):
    w, X, y = problem(rng)
    tracked = w.clone().requires_grad_(True)
    (expected,) = torch.autograd.grad(torch.mean((trusted_model(tracked, X) - y) ** 2), tracked)
    name = f"loss_gradient(w, X, y) with n={w.numel()} parameters and m={X.shape[0]} outputs"
    before = passes(student)
    got = student.loss_gradient(w, X, y)
    used = passes(student) - before
    record.metric("loss_gradient_passes", used)
    expect_tensor(got, expected, name=name, atol=1e-6, rtol=1e-4)
    expect_one_pass(used, X.shape[0], name)


@points(1)
def test_jacobian_row_by_row(student, rng, record):
    w, X, _ = problem(rng)
    expected = (1 - trusted_model(w, X) ** 2).unsqueeze(1) * X  # d tanh(Xw)/dw
    before = passes(student)
    got = student.jacobian(w, X)
    record.metric("jacobian_passes", passes(student) - before)
    expect_tensor(got, expected, name=f"jacobian(w, X) for m={X.shape[0]} outputs and n={w.numel()} parameters",
                  atol=1e-6, rtol=1e-4)


@points(2)
def test_vector_jacobian_product_in_one_reverse_pass(student, rng, record):
    w, X, _ = problem(rng)
    v = torch.randn(X.shape[0], generator=rng)
    expected = v @ ((1 - trusted_model(w, X) ** 2).unsqueeze(1) * X)
    name = f"vector_jacobian_product(w, X, v) with m={X.shape[0]} outputs"
    before = passes(student)
    got = student.vector_jacobian_product(w, X, v)
    used = passes(student) - before
    record.metric("vjp_passes", used)
    expect_tensor(got, expected, name=name, atol=1e-5, rtol=1e-4)
    expect_one_pass(used, X.shape[0], name)
