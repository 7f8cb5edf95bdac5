# corpus: exercise1
# verdict: fail
# cause: grad-of-non-leaf
# note: requires_grad set on a float64 tensor, then .float() makes the returned tensor a non-leaf copy whose .grad is None
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    # build in double for precision, then convert to float32 as asked
    w = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    return w.float()


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
