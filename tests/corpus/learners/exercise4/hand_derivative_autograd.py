# corpus: exercise4
# verdict: fail
# cause: manual-gradient
# note: autograd_gradient returns the derivative of sin(x)exp(x/2) worked out by hand instead of calling f once and running backward()
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
    # d/dx sin(x) e^(x/2) = cos(x) e^(x/2) + 0.5 sin(x) e^(x/2)   (product rule)
    # exact, so the same as autograd
    return torch.exp(0.5 * x) * (torch.cos(x) + 0.5 * torch.sin(x))
