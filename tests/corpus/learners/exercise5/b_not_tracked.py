# corpus: exercise5
# verdict: fail
# cause: missing-requires-grad
# note: only w is made a tracked tensor, b is not, so b.grad is None and float(None) raises
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
    w = torch.tensor(w, requires_grad=True)
    b = torch.tensor(b)
    L = loss(x, t, w, b)
    L.backward()
    return float(w.grad), float(b.grad)
