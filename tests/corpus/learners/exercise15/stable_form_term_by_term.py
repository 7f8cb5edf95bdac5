# corpus: exercise15
# verdict: fail
# cause: wrong-formula
# note: differentiates the stable formula term by term but forgets the inner derivative of -|x| (its sign(x) factor), so the gradient is wrong for every negative x
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
        # differentiate the stable form term by term:
        #   d/dx max(x, 0)            = 1 if x > 0 else 0
        #   d/dx log1p(exp(-|x|))     = -exp(-|x|) / (1 + exp(-|x|))
        step = (x > 0).to(x.dtype)
        e = torch.exp(-x.abs())
        local = step - e / (1 + e)
        return grad_output * local


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

