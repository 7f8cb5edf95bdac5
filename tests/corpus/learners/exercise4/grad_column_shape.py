# corpus: exercise4
# verdict: fail
# cause: shape-mismatch
# note: allocates the result as torch.zeros(n, 1) (a column) so numerical_gradient returns shape (n, 1) instead of x's shape (n,)
"""Exercise 4: numerical versus automatic differentiation."""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def numerical_gradient(x, eps):
    n = x.shape[0]
    grad = torch.zeros(n, 1, dtype=x.dtype)   # one derivative per input
    for i in range(n):
        e_i = torch.zeros(n, dtype=x.dtype)
        e_i[i] = 1.0
        grad[i] = (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)
    return grad


def autograd_gradient(x):
    x = x.detach().clone().requires_grad_(True)
    f(x).backward()
    return x.grad
