# corpus: exercise3
# verdict: pass
# cause: none
# note: straightforward fix with lots of debugging prints and the grad checked for None before returning
"""Exercise 3: call backward() and read .grad."""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    print("grad before:", x.grad)
    loss = (x ** 3).sum()
    loss.backward()
    print("grad after:", x.grad)
    assert x.grad is not None
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    print("y shape", y.shape)
    s = y.sum()
    print("scalar?", s.dim() == 0)
    s.backward()
    return x.grad
