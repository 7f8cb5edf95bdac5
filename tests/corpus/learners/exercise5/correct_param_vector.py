# corpus: exercise5
# verdict: pass
# cause: none
# note: manual chain rule with a named local derivative per step; autograd on a single tracked vector [w, b] with torch.autograd.grad
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    """chain rule, step by step"""
    n = len(x)
    h = w * x + b
    s = torch.tanh(h)
    dL_ds = 2.0 / n * (s - t)
    ds_dh = 1.0 - s * s
    dL_dh = dL_ds * ds_dh
    dh_dw = x
    dh_db = 1.0
    dL_dw = (dL_dh * dh_dw).sum().item()
    dL_db = (dL_dh * dh_db).sum().item()
    return dL_dw, dL_db


def autograd_gradients(x, t, w, b):
    params = torch.tensor([w, b], dtype=x.dtype, requires_grad=True)
    L = loss(x, t, params[0], params[1])
    dw, db = torch.autograd.grad(L, params)[0]
    return dw.item(), db.item()
