"""Exercise 6: reverse mode: one backward pass for every parameter.

Training has many parameters and one loss. Reverse mode (backpropagation) starts at the loss
and walks the recorded graph backward once, producing the gradient for every parameter in
that single pass. Its cost is counted in outputs, not parameters: the full Jacobian of m
outputs needs m reverse passes (one row each), while a vector-Jacobian product vᵀJ, which is
all the gradient of a scalar needs, costs one pass however many parameters there are.

model(w, X) below is given: m = X.shape[0] outputs from n = w.numel() parameters. It counts
the reverse passes that go through it in BACKWARD_PASSES. Don't change it.

Your task (keep the function names and arguments). w arrives without requires_grad: make a
tracked copy with w = w.detach().requires_grad_(True). Use torch.autograd.grad.

loss_gradient(w, X, y) -> Tensor
    The gradient of L = mean((model(w, X) - y) ** 2) with respect to w, shape (n,), in ONE
    reverse pass.

jacobian(w, X) -> Tensor
    The full Jacobian of model(w, X) with respect to w, shape (m, n): row i is the gradient
    of output i (one reverse pass per row).

vector_jacobian_product(w, X, v) -> Tensor
    vᵀJ for a vector v of m numbers, shape (n,), in ONE reverse pass, without building J.

Check your work with:  grade exercise6
"""

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
    # TODO: this builds the whole Jacobian, one reverse pass per output, to get one gradient.
    # Reverse mode gets dL/dw from the scalar loss in a single pass: torch.autograd.grad(L, w).
    out = model(w, X).detach()
    dL_dout = 2 * (out - y) / out.numel()
    return dL_dout @ jacobian(w, X)


def vector_jacobian_product(w, X, v):
    # TODO: one reverse pass with grad_outputs=v gives vᵀJ without building J.
    return v @ jacobian(w, X)
