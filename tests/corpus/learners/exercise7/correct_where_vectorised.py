# corpus: exercise7
# verdict: pass
# cause: none
# note: vectorises the branch with torch.where over the whole tensor and the loop with for/break; gradients with torch.autograd.grad
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    # both branches are computed, where() picks one per element (grad of the other is 0)
    per_elem = torch.where(x > 0, w * x ** 2, torch.sin(w * x))
    total = per_elem.sum()
    for _ in range(5):
        if total.abs() >= 2:
            break
        total = 2 * total + w
    return total


def dynamic_grad(x, w):
    x = x.detach().clone().requires_grad_(True)
    w = torch.tensor(float(w), requires_grad=True)
    gx, gw = torch.autograd.grad(dynamic_forward(x, w), (x, w))
    return gx, gw
