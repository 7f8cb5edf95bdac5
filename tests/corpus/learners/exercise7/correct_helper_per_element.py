# corpus: exercise7
# verdict: pass
# cause: none
# note: a helper for one element's contribution and a docstring kept, plain loop over the tensor, grads read after backward()
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def _term(xi, w):
    """contribution of one element (stays a tensor!)"""
    if xi > 0:
        return w * xi ** 2
    return torch.sin(w * xi)


def dynamic_forward(x, w):
    """Branch on every element, then double while |total| < 2 (max 5 times)."""
    total = torch.zeros(())
    for xi in x:
        total = total + _term(xi, w)
    for step in range(5):
        if not total.abs() < 2:
            break
        total = 2 * total + w
    return total


def dynamic_grad(x, w):
    xt = x.detach().requires_grad_(True)
    wt = torch.tensor(float(w), requires_grad=True)
    result = dynamic_forward(xt, wt)
    result.backward()
    return xt.grad, wt.grad
