# corpus: exercise4
# verdict: fail
# cause: wrong-reduction
# note: steps both ways but divides by eps instead of 2*eps, so every component is twice the gradient
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
        grad[i] = (f(x + step) - f(x - step)) / eps
    return grad


def autograd_gradient(x):
    xt = x.detach().clone().requires_grad_(True)
    y = f(xt)
    y.backward()
    return xt.grad
