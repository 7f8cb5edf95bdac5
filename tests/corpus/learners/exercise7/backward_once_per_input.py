# corpus: exercise7
# verdict: fail
# cause: backward-twice
# note: runs forward+backward once for x and again for w without clearing grads, so both gradients are doubled (x.grad is the same tensor, accumulated in place)
"""Exercise 7: the dynamic graph: branches and loops."""

import torch



def dynamic_forward(x, w):
    total = torch.zeros(())
    for xi in x:
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
    # gradient for x
    dynamic_forward(x, w).backward()
    gx = x.grad
    # gradient for w
    dynamic_forward(x, w).backward()
    gw = w.grad
    return gx, gw
