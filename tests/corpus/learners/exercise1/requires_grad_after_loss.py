# corpus: exercise1
# verdict: fail
# cause: missing-requires-grad
# note: requires_grad is switched on only after the loss was computed, so the graph was never recorded and backward() raises
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    return torch.tensor(values, dtype=torch.float32)


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    w.requires_grad_(True)  # turn on tracking
    loss.backward()
    return w.grad
