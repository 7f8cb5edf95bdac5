# corpus: exercise2
# verdict: fail
# cause: inplace-on-saved-tensor
# note: wrote y = y.add_(shift), still an in-place change of exp's saved output, so backward() raises the "modified by an inplace operation" error
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x)
    y = y.add_(shift)  # assign it back so its a new variable
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    z = x + bump
    loss = (z ** 2).sum()
    loss.backward()
    return x.grad
