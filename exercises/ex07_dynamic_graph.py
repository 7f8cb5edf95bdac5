"""Exercise 7: the dynamic graph: branches and loops.

PyTorch does not build the graph ahead of time. It records each operation as your code runs
it, so every run gets the graph of exactly the operations that ran: which branch of an `if`,
how many trips round a `while`. Backward then follows that graph, and the gradients are
exact for this input even though the next input may take a different path. The price of
that flexibility, which experts keep in mind, is a little overhead: the graph is recorded
again on every run instead of being built once ahead of time.

What autograd cannot see is a value you turned into a plain Python number (.tolist(),
.item(), float()): to the graph that is a constant, and no gradient flows back through it.

Your task (keep the function names and arguments):

dynamic_forward(x: Tensor, w: Tensor) -> Tensor
    x is a 1-D tensor, w a 0-d tensor. Start from total = 0 and go through x in order:
    an element xi > 0 adds w * xi**2, any other element adds sin(w * xi). Then, while
    |total| < 2, and at most 5 times, replace total by 2 * total + w. Return total (0-d).

dynamic_grad(x: Tensor, w: float) -> tuple[Tensor, Tensor]
    The gradients of dynamic_forward's result with respect to x (same shape as x) and w
    (0-d), from autograd. x arrives without requires_grad; w is a Python number.

Check your work with:  grade exercise7
"""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    # TODO: x.tolist() turns the inputs into plain Python numbers that autograd cannot see.
    for xi in x.tolist():
        if xi > 0:
            total = total + w * xi ** 2
        else:
            total = total + torch.sin(w * xi)
    steps = 0
    while total.abs() < 2 and steps < 5:
        total = 2 * total + w
        steps += 1
    return total


def dynamic_grad(x, w):
    x = x.detach().requires_grad_(True)
    w = torch.tensor(float(w), requires_grad=True)
    total = dynamic_forward(x, w)
    total.backward()
    return x.grad, w.grad
