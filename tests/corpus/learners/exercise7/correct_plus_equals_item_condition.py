# corpus: exercise7
# verdict: pass
# cause: none
# note: accumulates with += on a fresh zeros tensor (allowed: it is not a leaf that requires grad) and uses .item() only in the while condition, not in the maths
"""Exercise 7: the dynamic graph: branches and loops."""

import torch


def dynamic_forward(x, w):
    total = torch.zeros(())
    for i in range(len(x)):
        xi = x[i]
        if xi.item() > 0:
            total += w * xi * xi
        else:
            total += torch.sin(w * xi)
    n = 0
    while abs(total.item()) < 2 and n < 5:   # .item() only to decide, fine
        total = 2 * total + w
        n += 1
    return total


def dynamic_grad(x, w):
    x = x.clone().requires_grad_()
    w = torch.tensor(w, dtype=torch.float32).requires_grad_()
    out = dynamic_forward(x, w)
    out.backward()
    print("out", out.item(), "dx", x.grad, "dw", w.grad)
    return x.grad, w.grad
