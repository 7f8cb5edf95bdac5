# corpus: exercise1
# verdict: fail
# cause: data-bypass
# also: missing-requires-grad
# note: learner returns w.data, a view that autograd does not track (requires_grad False), so backward() raises
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    w = torch.tensor(values, dtype=torch.float32, requires_grad=True)
    return w.data  # just the numbers


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
