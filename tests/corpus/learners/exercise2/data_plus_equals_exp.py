# corpus: exercise2
# verdict: fail
# cause: data-bypass
# also: inplace-on-saved-tensor
# note: y.data += shift hides the in-place change from autograd, but exp's backward then uses the shifted output, so the gradient is exp(x)+shift
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x)
    y.data += shift  # .data so autograd doesnt complain
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    shifted = x + bump
    loss = (shifted ** 2).sum()
    loss.backward()
    return x.grad
