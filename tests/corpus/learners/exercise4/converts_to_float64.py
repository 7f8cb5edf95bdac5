# corpus: exercise4
# verdict: fail
# cause: other:dtype-changed
# note: learner converts x to float64 'for accuracy', so the central difference is not computed in x's dtype and float64 tensors come back for float32 inputs
"""Exercise 4: numerical versus automatic differentiation."""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def numerical_gradient(x, eps):
    x = x.double()  # more precise
    grad = torch.zeros_like(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad
