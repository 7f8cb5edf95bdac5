"""Exercise 15: a custom autograd Function, checked by gradcheck.

Sometimes you write an operation's backward yourself: to make it numerically stable, faster,
or to differentiate something autograd cannot see into. A torch.autograd.Function has two
static methods. forward(ctx, x) computes the output and saves what backward will need with
ctx.save_for_backward(...). backward(ctx, grad_output) receives the gradient of the final
result with respect to this Function's output and must return the gradient with respect to
its input: grad_output times the local derivative (the chain rule, one link of it).

A hand-written backward is exactly the kind of manual gradient that goes wrong quietly, so
check it: torch.autograd.gradcheck compares it with numerical (finite-difference) gradients
in float64, the method of exercise 4 put to good use.

softplus(x) = log(1 + exp(x)) overflows for large x if computed literally. Its derivative is
sigmoid(x).

Your task (keep the names and arguments):

class StableSoftplus(torch.autograd.Function)
    forward: softplus computed stably (given); backward: yours.

check_gradients(function, x) -> bool
    Run torch.autograd.gradcheck on function.apply at x (a float64 tensor that requires
    grad) and return True if the Function's backward agrees, False if it does not (no
    exception). The tests hand it your StableSoftplus and the given BrokenSoftplus.

softplus() and weighted_grad() are given and use your Function.

Check your work with:  grade exercise15
"""

import torch


class StableSoftplus(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)): nothing overflows
        return torch.clamp(x, min=0) + torch.log1p(torch.exp(-x.abs()))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # TODO: this is the local derivative alone; the chain rule needs grad_output too
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
    # TODO: compare function's backward with numerical gradients: torch.autograd.gradcheck
    return True
