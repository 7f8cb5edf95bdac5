# corpus: exercise4
# verdict: pass
# cause: none
# note: uses the rows of torch.eye (in x's dtype) as the unit vectors e_i and torch.autograd.grad for the automatic gradient
"""Exercise 4: numerical versus automatic differentiation."""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def numerical_gradient(x, eps):
    n = x.numel()
    E = torch.eye(n, dtype=x.dtype)
    parts = []
    for i in range(n):
        e_i = E[i]
        parts.append((f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps))
    return torch.stack(parts)


def autograd_gradient(x):
    xt = x.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(xt), xt)
    return g
