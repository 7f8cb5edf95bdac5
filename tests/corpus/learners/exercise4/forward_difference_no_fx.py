# corpus: exercise4
# verdict: fail
# cause: one-sided-difference
# note: learner removed the extra f(x) call to get two calls per element but kept a one-sided difference f(x+eps)-f(x), whose error only shrinks like eps
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
        # two calls of f per element
        grad[i] = (f(x + step) - f(x)) / eps
    return grad


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad
