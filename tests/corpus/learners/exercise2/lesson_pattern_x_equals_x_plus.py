# corpus: exercise2
# verdict: fail
# cause: grad-of-non-leaf
# note: copied the lesson's fix x = x + bump, which rebinds x to a computed tensor, so x.grad is None (the leaf is lost)
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x)
    y = y + shift  # out of place now
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    x = x + bump  # out of place now
    loss = (x ** 2).sum()
    loss.backward()
    return x.grad
