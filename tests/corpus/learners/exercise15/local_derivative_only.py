# corpus: exercise15
# verdict: fail
# cause: backward-ignores-grad-output
# note: check_gradients is done right, but backward still returns only the local derivative sigmoid(x) and drops grad_output, so the chain rule breaks as soon as softplus sits inside a bigger computation
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
        # d/dx softplus(x) = sigmoid(x)
        return torch.sigmoid(x)


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
    return torch.autograd.gradcheck(function.apply, (x,), raise_exception=False)

