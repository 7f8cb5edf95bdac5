# corpus: exercise2
# verdict: fail
# cause: backward-twice
# note: learner keeps retain_graph=True and calls backward a second time to "make sure", so x.grad accumulates to twice the gradient
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x) + shift
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    loss = ((x + bump) ** 2).sum()
    loss.backward(retain_graph=True)
    # TODO remove? got None once so calling again
    loss.backward()
    return x.grad
