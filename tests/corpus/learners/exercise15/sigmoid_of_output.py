# corpus: exercise15
# verdict: fail
# cause: wrong-formula
# note: saves the forward's output instead of its input and returns grad_output * sigmoid(output): softplus' derivative is sigmoid of the input x, not of softplus(x)
import torch


class StableSoftplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))
        ctx.save_for_backward(out)  # save the result, backward can use it
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * torch.sigmoid(out)


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

