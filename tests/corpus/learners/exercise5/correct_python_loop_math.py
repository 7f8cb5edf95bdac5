# corpus: exercise5
# verdict: pass
# cause: none
# note: manual gradients accumulated point by point with math.tanh in a Python loop; autograd done in float64
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


import math


def manual_gradients(x, t, w, b):
    n = len(x)
    gw = 0.0
    gb = 0.0
    for xi, ti in zip(x.tolist(), t.tolist()):
        s = math.tanh(w * xi + b)
        g = 2 * (s - ti) / n * (1 - s * s)   # dL/dh for this point
        gw += g * xi
        gb += g
    return gw, gb


def autograd_gradients(x, t, w, b):
    w = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    b = torch.tensor(float(b), dtype=torch.float64, requires_grad=True)
    L = loss(x.double(), t.double(), w, b)
    L.backward()
    return w.grad.item(), b.grad.item()
