# corpus: exercise4
# verdict: fail
# cause: missing-requires-grad
# note: takes a plain copy of x without tracking and turns requires_grad on for f's result instead, so the input's .grad is None
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
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def autograd_gradient(x):
    xc = x.clone()
    y = f(xc)
    y.requires_grad_(True)   # otherwise backward complains
    y.backward()
    return xc.grad
