# corpus: exercise6
# verdict: pass
# cause: none
# note: loss_gradient with L.backward() and w.grad, VJP with out.backward(v), jacobian loop kept but with its own comments and prints
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
        # row i = d out[i] / dw -> one reverse pass each
        (row,) = torch.autograd.grad(out[i], w, retain_graph=True)
        rows.append(row)
    J = torch.stack(rows)
    # print("J", J.shape)
    return J


def loss_gradient(w, X, y):
    w = w.detach().requires_grad_(True)
    predictions = model(w, X)
    L = ((predictions - y) ** 2).mean()
    L.backward()          # one reverse pass for all n parameters
    return w.grad


def vector_jacobian_product(w, X, v):
    w = w.detach().requires_grad_(True)
    out = model(w, X)
    out.backward(v)       # backward with a vector = v^T J
    return w.grad
