# corpus: exercise3
# verdict: fail
# cause: backward-non-scalar
# note: added backward() in cubic_grad but left square_grad calling backward() on the per-element y, which raises "grad can be implicitly created only for scalar outputs"
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
    y.backward()  # TODO: y holds one value per element, not a single number
    return x.grad
