"""Hidden tests for exercise 4 (numerical-gradient)."""

import torch

from grader.authoring import Mismatch, expect_grad, expect_tensor, points, preview, random_values


def exact_grad(x: torch.Tensor) -> torch.Tensor:
    x = x.double()
    return torch.exp(0.5 * x) * (torch.cos(x) + 0.5 * torch.sin(x))


def f(x: torch.Tensor) -> torch.Tensor:
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def difference(x: torch.Tensor, eps: float, central: bool) -> torch.Tensor:
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - (f(x - step) if central else f(x))) / ((2 if central else 1) * eps)
    return grad


def evaluations(student) -> int:
    count = student.EVALUATIONS.value()
    if type(count) is not int:
        raise Mismatch("EVALUATIONS should stay the given counter of calls of f (an int); "
                       "keep the given f and its counter unchanged")
    return count


@points(2)
def test_numerical_gradient_is_a_central_difference(student, rng, record):
    x = torch.tensor(random_values(rng), dtype=torch.float64)
    eps = round(float(10 ** -(3 + torch.rand(1, generator=rng))), 6)  # between 1e-4 and 1e-3
    name = f"numerical_gradient(x, eps={eps:g}) for x = {preview(x)}"
    before = evaluations(student)
    grad = student.numerical_gradient(x, eps)
    used = evaluations(student) - before
    record.metric("numerical_evaluations", used)
    got = expect_tensor(grad, shape=tuple(x.shape), dtype=torch.float64, name=name)
    central, one_sided = difference(x, eps, True), difference(x, eps, False)
    exact = exact_grad(x)
    if torch.allclose(got, one_sided, atol=1e-9) and not torch.allclose(got, central, atol=1e-8):
        raise Mismatch(
            f"{name}: this is the one-sided difference (f(x + eps) - f(x)) / eps. Its largest error "
            f"against the exact gradient is {float((one_sided - exact).abs().max()):.2g}; the central "
            f"difference's is {float((central - exact).abs().max()):.2g}",
            signal="one-sided-difference")
    expect_tensor(got, central, name=name, atol=1e-8, rtol=1e-7)
    if used != 2 * x.numel():
        raise Mismatch(f"{name}: f was called {used} times for {x.numel()} inputs; a central difference "
                       f"needs exactly two calls per input ({2 * x.numel()}), which is its cost")


@points(2)
def test_autograd_gradient_is_exact_in_one_evaluation(student, rng, record):
    n = int(torch.randint(200, 401, (1,), generator=rng))
    x = (torch.rand(n, generator=rng) * 4 - 2).float()
    name = f"autograd_gradient(x) for {n} inputs"
    before = evaluations(student)
    grad = student.autograd_gradient(x)
    used = evaluations(student) - before
    record.metric("autograd_evaluations", used)
    if used != 1:
        raise Mismatch(f"{name}: f was called {used} times; autograd needs one call of f (the forward "
                       "pass) and one backward pass, however many inputs there are",
                       signal="manual-gradient")
    expect_grad(grad, exact_grad(x).float(), name=name)


@points(1)
def test_where_the_numerical_gradient_loses_accuracy(student, rng, record):
    x = torch.tensor(random_values(rng), dtype=torch.float32)
    exact = exact_grad(x)
    errors = {}
    for eps in (1e-1, 1e-3, 1e-6):
        name = f"numerical_gradient(x, eps={eps:g}) in float32"
        got = expect_tensor(student.numerical_gradient(x, eps), shape=tuple(x.shape), dtype=torch.float32,
                            name=name)
        errors[eps] = float((got.double() - exact).abs().max())
        record.metric(f"numerical_error_eps_{eps:g}", errors[eps])
    auto = expect_tensor(student.autograd_gradient(x), shape=tuple(x.shape), dtype=torch.float32,
                         name="autograd_gradient(x) in float32")
    auto_error = float((auto.double() - exact).abs().max())
    record.metric("autograd_error", auto_error)
    table = (f"largest error against the exact gradient: eps=0.1 → {errors[1e-1]:.2g}, eps=0.001 → "
             f"{errors[1e-3]:.2g}, eps=1e-6 → {errors[1e-6]:.2g}; autograd → {auto_error:.2g}")
    if errors[1e-3] > 2e-2 or auto_error > 1e-4:
        raise Mismatch(f"the gradients are too far from the exact ones: {table}")
    if errors[1e-6] < 10 * max(auto_error, 1e-7):
        raise Mismatch(f"in float32 a step of 1e-6 is below what rounding can resolve, so a central "
                       f"difference computed in x's dtype loses most of its digits; yours did not ({table}). "
                       "Compute in x's dtype, as the task says.")
