# corpus: exercise2
# verdict: fail
# cause: inplace-on-leaf
# note: replaced x += bump by x.add_(bump), which is the same in-place update on a leaf that requires grad and still raises
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x)
    y = y + shift
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    x.add_(bump)  # use the torch function instead of +=
    loss = (x ** 2).sum()
    loss.backward()
    return x.grad
