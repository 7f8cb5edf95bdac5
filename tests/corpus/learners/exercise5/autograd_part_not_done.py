# corpus: exercise5
# verdict: fail
# cause: manual-gradient
# also: backward-not-called
# note: fixed the manual chain rule but autograd_gradients still just returns the hand-written gradients
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
    # TODO: let autograd apply the chain rule: tracked w and b, loss(...), backward(), .grad
    return manual_gradients(x, t, w, b)
