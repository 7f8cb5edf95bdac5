# corpus: exercise15
# verdict: pass
# cause: none
# note: computes sigmoid itself in a stable way with exp(-|x|) and torch.where; gradcheck on a detached copy of x with raise_exception=False, plus a print
import torch


class StableSoftplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)): nothing overflows
        return torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # stable sigmoid by hand (no exp of a big positive number):
        z = torch.exp(-x.abs())            # in (0, 1]
        sig = torch.where(x >= 0, 1 / (1 + z), z / (1 + z))
        return grad_output * sig


class BrokenSoftplus(torch.autograd.Function):
    """Given, and wrong on purpose: its backward has the sign of x flipped."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(-x)


def softplus(x):
    """Given."""
    return StableSoftplus.apply(x)


def weighted_grad(x, weights):
    """Given: the gradient of sum(weights * softplus(x)) with respect to x."""
    x = x.detach().requires_grad_(True)
    (weights * softplus(x)).sum().backward()
    return x.grad



def check_gradients(function, x):
    x = x.detach().clone().requires_grad_(True)  # don't touch the caller's tensor
    passed = torch.autograd.gradcheck(function.apply, (x,), raise_exception=False)
    print(f"{function.__name__}: gradcheck {'passed' if passed else 'FAILED'}")
    return bool(passed)
