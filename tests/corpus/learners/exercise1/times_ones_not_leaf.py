# corpus: exercise1
# verdict: fail
# cause: grad-of-non-leaf
# note: tracking turned on for a ones tensor that is multiplied by the values, so the returned w is computed (non-leaf) and its .grad is None
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    ones = torch.ones(len(values), requires_grad=True)
    w = ones * torch.tensor(values, dtype=torch.float32)
    return w


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
