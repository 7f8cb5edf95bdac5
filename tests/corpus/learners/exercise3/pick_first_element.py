# corpus: exercise3
# verdict: fail
# cause: wrong-reduction
# also: wrong-formula
# note: made y scalar by taking y[0] instead of y.sum(), so only the first element gets a gradient and the rest are 0
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
    y[0].backward()   # backward needs one number
    return x.grad
