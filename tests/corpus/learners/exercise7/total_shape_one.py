# corpus: exercise7
# verdict: fail
# cause: shape-mismatch
# note: starts from torch.zeros(1), so the result has shape (1,) instead of being 0-d
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(1)
    for xi in x:
        if xi > 0:
            total = total + w * xi ** 2
        else:
            total = total + torch.sin(w * xi)
    steps = 0
    while total.abs() < 2 and steps < 5:
        total = 2 * total + w
        steps += 1
    return total


def dynamic_grad(x, w):
    x = x.detach().requires_grad_(True)
    w = torch.tensor(float(w), requires_grad=True)
    total = dynamic_forward(x, w)
    total.backward()
    return x.grad, w.grad
