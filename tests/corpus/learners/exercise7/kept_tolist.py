# corpus: exercise7
# verdict: fail
# cause: graph-broken
# note: left the loop over x.tolist(), so every xi is a Python number, x never enters the graph and x.grad is None
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    # TODO: x.tolist() turns the inputs into plain Python numbers that autograd cannot see.
    for xi in x.tolist():
        # print(xi)
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
