# corpus: exercise15
# verdict: pass
# cause: none
# note: saves the output with save_for_backward and uses sigmoid(x) = 1 - exp(-softplus(x)), written as -expm1(-y); gradcheck with raise_exception=False
import torch


class StableSoftplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        # log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)): nothing overflows
        y = torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        # y = log(1 + e^x)  =>  e^-y = 1 / (1 + e^x) = 1 - sigmoid(x)
        # so sigmoid(x) = 1 - exp(-y) = -expm1(-y)   (expm1 is accurate near 0)
        return grad_output * -torch.expm1(-y)


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

