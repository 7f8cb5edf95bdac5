# corpus: exercise1
# verdict: fail
# cause: missing-requires-grad
# also: grad-of-non-leaf
# note: learner silenced the "does not require grad" error by setting requires_grad on the loss instead of on w, so w.grad stays None
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    return torch.tensor(values, dtype=torch.float32)


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.requires_grad = True   # error said element 0 does not require grad -> fixed
    loss.backward()
    print("grad:", w.grad)
    return w.grad
