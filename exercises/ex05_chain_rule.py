"""Exercise 5: the chain rule, by hand and by autograd.

The derivative of a composition of simple steps is the product of each step's local
derivative along the path from the output back to the input: the chain rule. Autograd does
exactly this for you. While your code runs it records every operation in a graph, and
backward() walks that graph from the loss back to the inputs, multiplying local derivatives.
Doing it by hand is fine for three steps, and easy to get wrong for three hundred.

The composition (x and t are 1-D tensors of n points, w and b are Python numbers):

    h = w * x + b          # dh/dw = x,  dh/db = 1
    s = tanh(h)            # ds/dh = 1 - s**2
    L = mean((s - t)**2)   # dL/ds = 2 * (s - t) / n

Your task (keep the function names and arguments):

manual_gradients(x, t, w, b) -> tuple[float, float]
    (dL/dw, dL/db) by the chain rule, written out by hand from the local derivatives above.
    No autograd inside this function: no requires_grad, backward() or torch.autograd.

autograd_gradients(x, t, w, b) -> tuple[float, float]
    The same two numbers from autograd: make w and b tracked tensors, compute L with loss(),
    call backward() and read the gradients.

Check your work with:  grade exercise5
"""

import torch


def loss(x, t, w, b):
    """L for tensors or numbers w and b (given)."""
    return torch.mean((torch.tanh(w * x + b) - t) ** 2)


def manual_gradients(x, t, w, b):
    s = torch.tanh(w * x + b)
    dL_ds = 2 * (s - t) / x.numel()
    # TODO: the path from L to h passes through tanh, but tanh's local derivative is missing
    dL_dh = dL_ds
    dL_dw = torch.sum(dL_dh * x)
    dL_db = torch.sum(dL_dh)
    return float(dL_dw), float(dL_db)


def autograd_gradients(x, t, w, b):
    # TODO: let autograd apply the chain rule: tracked w and b, loss(...), backward(), .grad
    return manual_gradients(x, t, w, b)
