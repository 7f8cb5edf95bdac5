# corpus: exercise7
# verdict: fail
# cause: graph-broken
# note: converts xi with float() in the sin branch only, so the non-positive elements lose their gradient (0 instead of w*cos(w*xi)*2^k)
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    for xi in x:
        if xi > 0:
            total = total + w * xi ** 2
        else:
            total = total + torch.sin(w * float(xi))  # sin wants a float?
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
