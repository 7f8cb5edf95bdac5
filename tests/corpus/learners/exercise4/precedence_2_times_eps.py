# corpus: exercise4
# verdict: fail
# cause: wrong-reduction
# also: wrong-formula
# note: wrote / 2 * eps without brackets, which divides by 2 and then multiplies by eps instead of dividing by 2*eps
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
        f_plus = f(x + step)
        f_minus = f(x - step)
        grad[i] = (f_plus - f_minus) / 2 * eps   # central difference
    return grad


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad
