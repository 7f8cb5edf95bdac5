# corpus: exercise6
# verdict: fail
# cause: graph-broken
# note: kept the stub's model(w, X).detach() and differentiates the loss built from it, so the loss is cut off from w and autograd.grad raises
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
        (row,) = torch.autograd.grad(out[i], w, retain_graph=True)
        rows.append(row)
    return torch.stack(rows)


def loss_gradient(w, X, y):
    w = w.detach().requires_grad_(True)
    out = model(w, X).detach()
    L = torch.mean((out - y) ** 2)
    (g,) = torch.autograd.grad(L, w)
    return g


def vector_jacobian_product(w, X, v):
    w = w.detach().requires_grad_(True)
    out = model(w, X)
    (g,) = torch.autograd.grad(out, w, grad_outputs=v)
    return g

