# corpus: exercise2
# verdict: pass
# cause: none
# note: both updates rewritten out of place with new variable names and torch.add, plus debug prints
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    e = torch.exp(x)
    y = torch.add(e, shift)   # new tensor, e stays untouched for backward
    y.sum().backward()
    print("d/dx:", x.grad)
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    x_plus = torch.add(x, bump)
    loss = (x_plus ** 2).sum()
    loss.backward()
    print("d/dx:", x.grad)
    return x.grad
