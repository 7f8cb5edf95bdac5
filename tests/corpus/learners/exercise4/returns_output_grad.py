# corpus: exercise4
# verdict: fail
# cause: grad-of-non-leaf
# note: runs backward() on f's output and then returns that output's .grad (a non-leaf, None) instead of the tracked input's
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
    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    y.backward()
    return y.grad  # dy
