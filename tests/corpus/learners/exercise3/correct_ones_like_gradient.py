# corpus: exercise3
# verdict: pass
# cause: none
# note: square_grad passes gradient=torch.ones_like(y) to backward (same as y.sum().backward()), cubic_grad calls loss.backward()
"""Exercise 3: call backward() and read .grad.

cubic_grad -> 3x^2, square_grad -> 2x (from autograd!)
"""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    loss.backward()
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    # weights of 1 for every element == gradient of y.sum()
    y.backward(gradient=torch.ones_like(y))
    return x.grad
