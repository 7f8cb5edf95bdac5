# corpus: exercise5
# verdict: fail
# cause: wrong-formula
# note: wrote the derivative of (s - t)**2 as 2*(t - s), so both manual gradients have the wrong sign
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    s = torch.tanh(w * x + b)
    dL_ds = 2 * (t - s) / x.numel()
    dL_dh = dL_ds * (1 - s ** 2)
    dL_dw = torch.sum(dL_dh * x)
    dL_db = torch.sum(dL_dh)
    return float(dL_dw), float(dL_db)


def autograd_gradients(x, t, w, b):
    w = torch.tensor(w, requires_grad=True)
    b = torch.tensor(b, requires_grad=True)
    L = loss(x, t, w, b)
    L.backward()
    return w.grad.item(), b.grad.item()
