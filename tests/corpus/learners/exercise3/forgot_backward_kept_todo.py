# corpus: exercise3
# verdict: fail
# cause: backward-not-called
# note: fixed square_grad but left cubic_grad's TODO, so backward() is never called and x.grad is None
"""Exercise 3: call backward() and read .grad."""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    # TODO: ask autograd to compute the gradients before reading them
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    y.sum().backward()
    return x.grad
