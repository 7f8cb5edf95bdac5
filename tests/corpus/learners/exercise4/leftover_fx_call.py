# corpus: exercise4
# verdict: fail
# cause: other:extra-evaluation
# note: central difference is right but the stub's fx = f(x) line is left in, so f is called 2n+1 times instead of exactly 2 per element
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
    fx = f(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step[i] = eps
        # Step both ways and divide by 2 * eps.
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    out = f(x)
    out.backward()
    return x.grad
