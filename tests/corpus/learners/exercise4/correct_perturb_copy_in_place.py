# corpus: exercise4
# verdict: pass
# cause: none
# note: perturbs a private copy in place and puts the old value back after each pair of calls; autograd via a clone with requires_grad = True
"""Exercise 4: numerical versus automatic differentiation."""

import torch

EVALUATIONS = 0


def f(x):
    """The function to differentiate (given): the sum of sin(x) · exp(x / 2)."""
    global EVALUATIONS
    EVALUATIONS += 1
    return torch.sum(torch.sin(x) * torch.exp(0.5 * x))


def numerical_gradient(x, eps):
    xp = x.clone()
    grad = torch.empty_like(x)
    for i in range(len(xp)):
        old = xp[i].item()
        xp[i] = old + eps
        up = f(xp)
        xp[i] = old - eps
        down = f(xp)
        xp[i] = old  # restore
        grad[i] = (up - down) / (2 * eps)
    return grad


def autograd_gradient(x):
    xt = x.clone()
    xt.requires_grad = True
    value = f(xt)
    value.backward()
    print("f =", value.item())
    return xt.grad
