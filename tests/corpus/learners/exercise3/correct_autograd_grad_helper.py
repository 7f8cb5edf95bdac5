# corpus: exercise3
# verdict: pass
# cause: none
# note: one helper using torch.autograd.grad for both functions, with requires_grad_() and torch.sum
import torch


def _grad_of(fn, values):
    """gradient of sum(fn(x)) at x = values"""
    x = torch.tensor(values).requires_grad_()
    total = torch.sum(fn(x))
    return torch.autograd.grad(total, x)[0]


def cubic_grad(values):
    return _grad_of(lambda x: x ** 3, values)


def square_grad(values):
    return _grad_of(lambda x: x * x, values)
