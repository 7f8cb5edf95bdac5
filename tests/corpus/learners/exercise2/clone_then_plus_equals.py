# corpus: exercise2
# verdict: fail
# cause: grad-of-non-leaf
# note: cloned x before the in-place +=, which avoids the error but returns the clone's .grad (a non-leaf, None) instead of the leaf's
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x) + shift
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    x = x.clone()  # clone so the += is not on the leaf anymore
    x += bump
    loss = (x ** 2).sum()
    loss.backward()
    return x.grad
