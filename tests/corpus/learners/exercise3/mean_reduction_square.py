# corpus: exercise3
# verdict: fail
# cause: wrong-reduction
# note: reduced y with .mean() to get a scalar, so square_grad returns 2x/n instead of the gradient of y.sum()
"""Exercise 3: call backward() and read .grad."""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    loss.backward()
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    loss = y.mean()  # make it one number
    loss.backward()
    return x.grad
