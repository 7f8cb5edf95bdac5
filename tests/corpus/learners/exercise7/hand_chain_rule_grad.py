# corpus: exercise7
# verdict: fail
# cause: manual-gradient
# note: works out the gradients by hand (branch derivatives times 2^k for the doubling loop) instead of calling backward(), which the task forbids
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
    # after the for loop: S. after k doublings: T = 2^k S + (2^k - 1) w
    w = torch.tensor(float(w))
    S = torch.zeros(())
    dS_dx = torch.zeros_like(x)
    dS_dw = torch.zeros(())
    for i, xi in enumerate(x):
        if xi > 0:
            S = S + w * xi ** 2
            dS_dx[i] = 2 * w * xi
            dS_dw = dS_dw + xi ** 2
        else:
            S = S + torch.sin(w * xi)
            dS_dx[i] = w * torch.cos(w * xi)
            dS_dw = dS_dw + xi * torch.cos(w * xi)
    k = 0
    T = S
    while T.abs() < 2 and k < 5:
        T = 2 * T + w
        k += 1
    return 2 ** k * dS_dx, 2 ** k * dS_dw + (2 ** k - 1)
