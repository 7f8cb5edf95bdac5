# corpus: exercise4
# verdict: pass
# cause: none
# note: central difference as a list comprehension over unit vectors built with zeros_like + index assignment, torch.tensor(..., dtype=x.dtype) to assemble
"""Exercise 4: numerical versus automatic differentiation."""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def _unit(x, i):
    e = torch.zeros_like(x)
    e[i] = 1
    return e


def numerical_gradient(x, eps):
    # TODO maybe vectorise? works for now
    return torch.stack([
        (f(x + eps * _unit(x, i)) - f(x - eps * _unit(x, i))) / (2 * eps)
        for i in range(x.numel())
    ]).to(x.dtype)


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad
