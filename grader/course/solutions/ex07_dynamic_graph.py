"""Reference solution for exercise 7: the dynamic graph."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    for xi in x:  # each xi is a tensor still connected to x
        if xi > 0:  # the branch taken is recorded; the other one never exists in this graph
            total = total + w * xi ** 2
        else:
            total = total + torch.sin(w * xi)
    steps = 0
    while total.abs() < 2 and steps < 5:  # as many links as trips round the loop
        total = 2 * total + w
        steps += 1
    return total


def dynamic_grad(x, w):
    x = x.detach().requires_grad_(True)
    w = torch.tensor(float(w), requires_grad=True)
    dynamic_forward(x, w).backward()
    return x.grad, w.grad
