# corpus: exercise8
# verdict: pass
# cause: none
# note: sets w.grad and b.grad to None before each backward instead of calling optimizer.zero_grad()
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(steps):
        w.grad = None
        b.grad = None
        loss = ((w * x + b - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
