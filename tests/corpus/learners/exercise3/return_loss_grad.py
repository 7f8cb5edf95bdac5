# corpus: exercise3
# verdict: fail
# cause: grad-of-non-leaf
# note: calls backward() correctly but returns loss.grad (a non-leaf, always None) instead of x.grad
"""Exercise 3: call backward() and read .grad."""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    loss.backward()
    return loss.grad  # gradient of the loss


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    y.sum().backward()
    return x.grad
