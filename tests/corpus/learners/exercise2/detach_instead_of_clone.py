# corpus: exercise2
# verdict: fail
# cause: graph-broken
# note: used .detach() thinking it makes a safe copy for the +=, but it cuts y out of the graph, so the loss has no grad_fn and backward() raises
"""Exercise 2: avoid in-place operations that break the graph."""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x).detach()  # copy so the original exp output is kept
    y += shift
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    b = x + bump
    loss = (b ** 2).sum()
    loss.backward()
    return x.grad
