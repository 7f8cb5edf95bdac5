# corpus: exercise5
# verdict: pass
# cause: none
# note: uses tanh' = 1/cosh(h)**2 and torch.dot in the manual part; autograd tensors created in x's dtype with requires_grad_(), plus a debug print of the loss
"""Exercise 5: the chain rule, by hand and by autograd."""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    # sech^2(h) = 1/cosh^2(h) = 1 - tanh^2(h)
    h = w * x + b
    r = 2 * (torch.tanh(h) - t) / torch.cosh(h) ** 2 / x.shape[0]
    return float(torch.dot(r, x)), float(r.sum())


def autograd_gradients(x, t, w, b):
    w_t = torch.as_tensor(w, dtype=x.dtype).clone().requires_grad_()
    b_t = torch.as_tensor(b, dtype=x.dtype).clone().requires_grad_()
    print("loss:", loss(x, t, w_t, b_t).item())   # debug
    L = loss(x, t, w_t, b_t)
    L.backward()
    return float(w_t.grad), float(b_t.grad)
