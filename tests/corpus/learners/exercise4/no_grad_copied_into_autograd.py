# corpus: exercise4
# verdict: fail
# cause: no-grad-misuse
# note: wrapped the evaluation of f in torch.no_grad() in both functions, which is fine for the numerical one but means autograd_gradient records nothing and backward() raises
"""Exercise 4: numerical versus automatic differentiation."""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def numerical_gradient(x, eps):
    grad = torch.zeros_like(x)
    with torch.no_grad():
        for i in range(x.numel()):
            step = torch.zeros_like(x)
            step[i] = eps
            grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    with torch.no_grad():  # only need the value of f here
        out = f(x)
    out.backward()
    return x.grad
