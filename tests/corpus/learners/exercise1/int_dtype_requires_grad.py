# corpus: exercise1
# verdict: fail
# cause: integer-requires-grad
# note: learner picked an integer dtype and asked for requires_grad, which torch refuses (only floating point tensors can require gradients)
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    # the values are whole numbers in the examples so int32 should be fine??
    return torch.tensor(values, dtype=torch.int32, requires_grad=True)


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
