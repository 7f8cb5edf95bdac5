"""Exercise 2: avoid in-place operations that break the graph.

During the forward pass autograd saves the values it will need for the backward pass.
An in-place operation (``+=``, ``*=``, ``.add_()``, ``x[0] = ...``) overwrites a tensor
instead of making a new one. On a leaf that requires grad autograd refuses outright; on a
value the graph saved, ``backward()`` finds it changed and stops with an error.

Your task (keep the function names and arguments):

shifted_exp_grad(values: list[float], shift: float) -> torch.Tensor
    With ``x`` a tracked tensor of ``values``: ``y = exp(x) + shift``, ``loss = y.sum()``.
    Return the gradient of ``loss`` with respect to ``x``.

bumped_square_grad(values: list[float], bump: float) -> torch.Tensor
    With ``x`` a tracked tensor of ``values``: ``loss = ((x + bump) ** 2).sum()``.
    Return the gradient of ``loss`` with respect to ``x`` (the leaf you created).

Both currently crash. Make each computation out-of-place; the maths stays the same.

Check your work with:  grade exercise2
"""

import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x)
    y += shift  # TODO: exp() saved its output for backward, and this overwrites it
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    x += bump  # TODO: an in-place change to a leaf that requires grad
    loss = (x ** 2).sum()
    loss.backward()
    return x.grad
