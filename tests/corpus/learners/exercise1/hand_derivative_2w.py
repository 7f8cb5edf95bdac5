# corpus: exercise1
# verdict: fail
# cause: manual-gradient
# note: make_weights is right but grad_of_squares returns the hand formula 2*w instead of running backward and reading w.grad
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    # d/dw of w^2 is 2w so we dont even need backward
    return 2 * w
