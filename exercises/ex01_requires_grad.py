"""Exercise 1: turn on gradient tracking.

Autograd only records the operations done on tensors that ask to be tracked. A tensor made
with plain ``torch.tensor(values)`` is invisible to it: no graph is built, ``backward()``
has nothing to differentiate, and ``.grad`` stays ``None``.

Your task (keep the function names and arguments):

make_weights(values: list[float]) -> torch.Tensor
    Return a float32 tensor holding ``values`` that autograd tracks, so gradients can flow
    back into it. It must be a leaf: created directly, not computed from another tensor.

grad_of_squares(values: list[float]) -> torch.Tensor
    With ``w = make_weights(values)``, compute ``loss = (w ** 2).sum()``, run the backward
    pass, and return the gradient of ``loss`` with respect to ``w`` (same shape as ``w``).

Check your work with:  grade exercise1
"""

import torch


def make_weights(values):
    # TODO: autograd ignores this tensor. Ask it to track gradients.
    return torch.tensor(values, dtype=torch.float32)


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
