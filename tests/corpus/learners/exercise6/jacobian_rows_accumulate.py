# corpus: exercise6
# verdict: fail
# cause: other:grad-accumulated
# also: backward-twice
# note: rewrote jacobian with out[i].backward() and reads w.grad after each row without clearing it, so every row is the sum of all rows so far
"""Exercise 6: reverse mode: one backward pass for every parameter."""

import torch

BACKWARD_PASSES = 0


class _CountPasses(torch.autograd.Function):
    """The identity on w; its backward counts the reverse passes (given)."""

    @staticmethod
    def forward(ctx, w):
        return w.clone()

    @staticmethod
    def backward(ctx, grad):
        global BACKWARD_PASSES
        BACKWARD_PASSES += 1
        return grad


def model(w, X):
    """m outputs from n parameters (given)."""
    return torch.tanh(X @ _CountPasses.apply(w))


def jacobian(w, X):
    w = w.detach().requires_grad_(True)
    out = model(w, X)
    rows = []
    for i in range(out.shape[0]):
        out[i].backward(retain_graph=True)
        rows.append(w.grad.clone())
    return torch.stack(rows)


def loss_gradient(w, X, y):
    w = w.detach().requires_grad_(True)
    L = torch.mean((model(w, X) - y) ** 2)
    L.backward()
    return w.grad


def vector_jacobian_product(w, X, v):
    w = w.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(model(w, X), w, grad_outputs=v)
    return g
