# corpus: exercise3
# verdict: fail
# cause: backward-twice
# note: runs loss.backward(retain_graph=True) once to print and then again, so x.grad holds twice the true gradient
"""Exercise 3: call backward() and read .grad."""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    loss.backward(retain_graph=True)
    print(x.grad)
    loss.backward()
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    y.sum().backward()
    return x.grad
