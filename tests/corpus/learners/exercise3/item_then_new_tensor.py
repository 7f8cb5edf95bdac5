# corpus: exercise3
# verdict: fail
# cause: graph-broken
# note: rebuilt the loss with torch.tensor(loss.item(), requires_grad=True), a fresh leaf disconnected from x, so x.grad stays None
"""Exercise 3: call backward() and read .grad."""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    print("loss is", loss.item())
    loss = torch.tensor(loss.item(), requires_grad=True)  # make sure it's a scalar
    loss.backward()
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    y.sum().backward()
    return x.grad
