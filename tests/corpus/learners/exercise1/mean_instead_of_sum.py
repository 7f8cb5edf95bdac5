# corpus: exercise1
# verdict: fail
# cause: wrong-reduction
# note: loss reduced with .mean() instead of .sum(), so the gradient is 2w/n instead of 2w
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).mean()  # average loss
    loss.backward()
    return w.grad
