# corpus: exercise6
# verdict: pass
# cause: none
# note: VJP as the gradient of the scalar (out * v).sum(), loss via F.mse_loss, jacobian with unit vectors as grad_outputs
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


import torch.nn.functional as F


def _tracked(w):
    return w.detach().requires_grad_(True)


def jacobian(w, X):
    w = _tracked(w)
    out = model(w, X)
    m = out.shape[0]
    eye = torch.eye(m, dtype=out.dtype)
    J = torch.empty(m, w.numel(), dtype=out.dtype)
    for i in range(m):
        J[i] = torch.autograd.grad(out, w, grad_outputs=eye[i], retain_graph=True)[0]
    return J


def loss_gradient(w, X, y):
    w = _tracked(w)
    L = F.mse_loss(model(w, X), y)
    return torch.autograd.grad(L, w)[0]


def vector_jacobian_product(w, X, v):
    w = _tracked(w)
    # d/dw of v . model(w)  ==  v^T J
    s = (model(w, X) * v).sum()
    return torch.autograd.grad(s, w)[0]
