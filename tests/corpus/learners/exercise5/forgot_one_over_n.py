# corpus: exercise5
# verdict: fail
# cause: wrong-reduction
# note: differentiated (s-t)**2 but forgot the 1/n of the mean, so the manual gradients are n times too big
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    s = torch.tanh(w * x + b)
    dL_ds = 2 * (s - t)          # derivative of (s-t)^2
    ds_dh = 1 - s ** 2
    dL_dh = dL_ds * ds_dh
    return float((dL_dh * x).sum()), float(dL_dh.sum())


def autograd_gradients(x, t, w, b):
    w = torch.tensor(w, requires_grad=True)
    b = torch.tensor(b, requires_grad=True)
    L = loss(x, t, w, b)
    L.backward()
    return w.grad.item(), b.grad.item()
