# corpus: exercise1
# verdict: fail
# cause: backward-twice
# note: a debugging backward() with retain_graph is left in before the real one, gradients accumulate to 4w instead of 2w
"""Exercise 1: turn on gradient tracking."""

import torch


def make_weights(values):
    w = torch.tensor(values, dtype=torch.float32, requires_grad=True)
    return w


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    # check that backward works at all
    loss.backward(retain_graph=True)
    print("after first backward", w.grad)
    loss.backward()
    return w.grad
