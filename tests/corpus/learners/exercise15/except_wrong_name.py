# corpus: exercise15
# verdict: fail
# cause: gradcheck-raises
# note: backward is right, but check_gradients catches torch.autograd.gradcheck.GradcheckError; torch.autograd.gradcheck is the function, not the module, so evaluating the except clause raises AttributeError and the broken Function makes check_gradients raise instead of returning False
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
        # chain rule: dL/dx = dL/dy * dy/dx, and dy/dx = sigmoid(x)
        local_derivative = torch.sigmoid(x)
        return grad_output * local_derivative


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
    try:
        return torch.autograd.gradcheck(function.apply, (x,), eps=1e-6, atol=1e-5)
    except torch.autograd.gradcheck.GradcheckError as err:
        print("gradcheck failed:", str(err).splitlines()[0])
        return False
