"""Exercise 3: call backward() and read .grad.

Building a graph is not enough: gradients are computed only when you call ``backward()``
on a scalar — a single number such as a loss. Until then every ``.grad`` is ``None``.
Calling ``backward()`` on a tensor with many elements is an error, because autograd would
not know how to weigh them: reduce it to one number first.

Your task (keep the function names and arguments). Gradients must come from autograd:
no derivative formulas written by hand.

cubic_grad(values: list[float]) -> torch.Tensor
    The gradient of ``sum(x ** 3)`` with respect to ``x``, for ``x`` holding ``values``.

square_grad(values: list[float]) -> torch.Tensor
    For ``y = x ** 2`` (one value per element), the gradient of ``y.sum()`` with respect
    to ``x``.

Check your work with:  grade exercise3
"""

import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    # TODO: ask autograd to compute the gradients before reading them
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    y = x ** 2
    y.backward()  # TODO: y holds one value per element, not a single number
    return x.grad
