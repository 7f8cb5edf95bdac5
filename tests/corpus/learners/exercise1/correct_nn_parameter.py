# corpus: exercise1
# verdict: pass
# cause: none
# note: wraps the values in nn.Parameter (a leaf that requires grad) and keeps the given backward code
"""Exercise 1: turn on gradient tracking.

make_weights -> tracked leaf, grad_of_squares -> gradient of sum(w**2)
"""

import torch
from torch import nn


def make_weights(values):
    # Parameters are what models use for weights, they track gradients by default
    return nn.Parameter(torch.tensor(values, dtype=torch.float32))


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    return w.grad
