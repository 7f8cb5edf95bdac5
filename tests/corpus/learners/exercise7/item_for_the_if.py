# corpus: exercise7
# verdict: fail
# cause: graph-broken
# note: loops over the tensor but turns each xi into xi.item() for the comparison and then uses that number in the maths too, so x gets no gradient
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    for xi in x:
        v = xi.item()   # need a number for the if
        if v > 0:
            total = total + w * v ** 2
        else:
            total = total + torch.sin(w * v)
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
