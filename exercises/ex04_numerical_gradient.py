"""Exercise 4: numerical versus automatic differentiation.

A derivative says how much f changes when its input moves a little. The numerical way to
get a gradient is to do exactly that, one input at a time. The central difference

    df/dx_i ≈ (f(x + eps·e_i) - f(x - eps·e_i)) / (2·eps)      (e_i: 1 at i, 0 elsewhere)

costs two evaluations of f for every input, and its accuracy depends on eps: a large step
shows the formula's own error, a tiny step drowns the difference in floating-point
rounding. Autograd gets the exact gradient for all inputs from one forward pass and one
backward pass.

f(x) below is given: don't change it. It counts its own calls in EVALUATIONS, so the tests
can see what each method costs.

Your task (keep the function names and arguments):

numerical_gradient(x: Tensor, eps: float) -> Tensor
    The central-difference gradient of f at x (a 1-D tensor): same shape and dtype as x,
    computed in x's dtype (no conversion to float64), with exactly two calls of f per element.

autograd_gradient(x: Tensor) -> Tensor
    The gradient of f at x from autograd: one call of f, then backward(). Same shape and
    dtype as x. x arrives without requires_grad: make a tracked copy of it.

Check your work with:  grade exercise4
"""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def numerical_gradient(x, eps):
    grad = torch.zeros_like(x)
    fx = f(x)
    for i in range(x.numel()):
        step = torch.zeros_like(x)
        step[i] = eps
        # TODO: a one-sided difference: its error only shrinks like eps. Step both ways,
        # f(x + step) and f(x - step), and divide by 2 * eps.
        grad[i] = (f(x + step) - fx) / eps
    return grad


def autograd_gradient(x):
    # TODO: this is the numerical method again, two calls of f per input and rounding
    # errors included. Let autograd do it: a tracked copy of x, one call of f, backward().
    return numerical_gradient(x, 1e-3)
