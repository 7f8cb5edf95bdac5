# corpus: exercise2
# verdict: fail
# cause: wrong-formula
# note: rewrote the loss as sum(x**2 + bump) instead of sum((x + bump)**2), so the gradient is 2x instead of 2(x+bump)
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x) + shift
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    # no more x += bump, add the bump afterwards instead
    loss = (x ** 2 + bump).sum()
    loss.backward()
    return x.grad
