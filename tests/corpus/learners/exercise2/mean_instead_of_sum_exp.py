# corpus: exercise2
# verdict: fail
# cause: wrong-reduction
# note: fixed both in-place updates but reduced y with .mean() instead of .sum(), so the first gradient is exp(x)/n
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x)
    y = y + shift
    y.mean().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    x_bumped = x + bump
    loss = (x_bumped ** 2).sum()
    loss.backward()
    return x.grad
