# corpus: exercise1
# verdict: fail
# cause: missing-requires-grad
# note: learner only added dtype and a comment, tracking is still never switched on so backward() raises
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    # TODO: autograd ignores this tensor. Ask it to track gradients.
    # made sure its float32 like the task says
    w = torch.tensor(values, dtype=torch.float32)
    return w


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
