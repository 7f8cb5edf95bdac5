# corpus: exercise5
# verdict: fail
# cause: grad-of-non-leaf
# note: casts the tracked w and b with .double() after requires_grad, so w and b are non-leaf copies whose .grad is None
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)



def manual_gradients(x, t, w, b):
    s = torch.tanh(w * x + b)
    dL_ds = 2 * (s - t) / x.numel()
    dL_dh = dL_ds * (1 - s ** 2)
    dL_dw = torch.sum(dL_dh * x)
    dL_db = torch.sum(dL_dh)
    return float(dL_dw), float(dL_db)


def autograd_gradients(x, t, w, b):
    # double precision so it matches the manual version better
    w = torch.tensor(w, requires_grad=True).double()
    b = torch.tensor(b, requires_grad=True).double()
    L = loss(x, t, w, b)
    L.backward()
    return float(w.grad), float(b.grad)
