# corpus: exercise3
# verdict: fail
# cause: backward-non-scalar
# note: switched square_grad to torch.autograd.grad(y, x) but y still has one value per element, so it raises the same scalar-output error
import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    (g,) = torch.autograd.grad(loss, x)
    return g


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    (g,) = torch.autograd.grad(y, x)  # maybe autograd.grad is fine with vectors
    return g
