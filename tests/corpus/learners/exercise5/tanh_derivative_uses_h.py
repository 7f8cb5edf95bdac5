# corpus: exercise5
# verdict: fail
# cause: wrong-formula
# also: chain-rule-missing-factor
# note: wrote tanh's derivative as 1 - h**2 (the input) instead of 1 - s**2 = 1 - tanh(h)**2
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    h = w * x + b
    s = torch.tanh(h)
    dL_ds = 2 * (s - t) / x.numel()
    dL_dh = dL_ds * (1 - h ** 2)   # derivative of tanh
    dL_dw = torch.sum(dL_dh * x)
    dL_db = torch.sum(dL_dh)
    return float(dL_dw), float(dL_db)


def autograd_gradients(x, t, w, b):
    w = torch.tensor(w, requires_grad=True)
    b = torch.tensor(b, requires_grad=True)
    L = loss(x, t, w, b)
    L.backward()
    return w.grad.item(), b.grad.item()
