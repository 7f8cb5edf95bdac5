# corpus: exercise2
# verdict: fail
# cause: missing-requires-grad
# note: learner removed requires_grad from x to make the in-place error go away and put it on the loss instead, so x.grad is None
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values)
    y = torch.exp(x)
    y += shift
    loss = y.sum()
    loss.requires_grad = True
    loss.backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    loss = ((x + bump) ** 2).sum()
    loss.backward()
    return x.grad
