# corpus: exercise2
# verdict: pass
# cause: none
# note: out-of-place versions with torch.autograd.grad instead of backward(), small helper for the tracked tensor
"""Exercise 2: avoid in-place operations that break the graph.

(my notes: += on a leaf -> error, += on exp output -> error at backward. use x + b!)
"""

import torch


def _tracked(values):
    return torch.tensor(values, requires_grad=True)


def shifted_exp_grad(values, shift):
    x = _tracked(values)
    loss = (torch.exp(x) + shift).sum()
    return torch.autograd.grad(loss, x)[0]


def bumped_square_grad(values, bump):
    x = _tracked(values)
    loss = ((x + bump) ** 2).sum()
    grad, = torch.autograd.grad(loss, x)
    return grad
