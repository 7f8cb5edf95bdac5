# corpus: exercise8
# verdict: fail
# cause: wrong-sign-update
# note: replaced optimizer.step() with a hand-written update that adds lr * grad, so it climbs the loss instead of descending
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)  # only used for zero_grad now
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        # doing the update myself to see what SGD does
        with torch.no_grad():
            w += lr * w.grad
            b += lr * b.grad
        history.append((w.item(), b.item()))
    return history
