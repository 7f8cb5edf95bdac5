# corpus: exercise5
# verdict: fail
# cause: wrong-reduction
# note: already divided dL/ds by n and then averaged again with torch.mean, so the 1/n factor appears twice
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    n = x.numel()
    s = torch.tanh(w * x + b)
    dL_ds = 2 * (s - t) / n
    dL_dh = dL_ds * (1 - s ** 2)
    # L is a mean so average over the points
    dL_dw = torch.mean(dL_dh * x)
    dL_db = torch.mean(dL_dh)
    return float(dL_dw), float(dL_db)


def autograd_gradients(x, t, w, b):
    w = torch.tensor(w, requires_grad=True)
    b = torch.tensor(b, requires_grad=True)
    L = loss(x, t, w, b)
    L.backward()
    return w.grad.item(), b.grad.item()
