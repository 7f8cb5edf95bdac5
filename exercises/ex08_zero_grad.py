"""Exercise 8: gradients accumulate: zero them every step.

backward() does not overwrite .grad, it adds to it. That is deliberate (you can sum the
gradients of several batches before one update), but in a plain training loop it means each
step's gradient silently includes every earlier step's, and the updates go wrong. The fix is
one line at the start of every step: optimizer.zero_grad() (or setting each .grad to None).

Your task (keep the function name and arguments):

fit_line(x, y, w0, b0, lr, steps) -> list[tuple[float, float]]
    Fit y ≈ w * x + b (x and y are 1-D tensors) by gradient descent on
    L = mean((w * x + b - y) ** 2) with torch.optim.SGD([w, b], lr=lr), starting from
    w = w0 and b = b0, for `steps` steps. Return the parameters after every step,
    [(w_1, b_1), (w_2, b_2), ...], as Python numbers. Gradients from backward(), not by hand.

Check your work with:  grade exercise8
"""

import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(steps):
        # TODO: the gradients of the previous steps are still in w.grad and b.grad
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
