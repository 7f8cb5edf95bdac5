# corpus: exercise7
# verdict: fail
# cause: graph-broken
# note: detaches total inside the doubling loop, which cuts the path back to x and to the first part of w's gradient whenever the loop runs
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    for xi in x:
        if xi > 0:
            total = total + w * xi ** 2
        else:
            total = total + torch.sin(w * xi)
    steps = 0
    while total.abs() < 2 and steps < 5:
        total = 2 * total.detach() + w   # avoid the graph growing in the loop
        steps += 1
    return total


def dynamic_grad(x, w):
    x = x.detach().requires_grad_(True)
    w = torch.tensor(float(w), requires_grad=True)
    total = dynamic_forward(x, w)
    total.backward()
    return x.grad, w.grad
