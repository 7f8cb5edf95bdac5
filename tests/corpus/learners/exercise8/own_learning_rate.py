# corpus: exercise8
# verdict: fail
# cause: lr-too-small
# note: ignores the lr argument and hard-codes lr=0.001 "to be safe", so 30 steps barely move w and b
import torch

LEARNING_RATE = 0.001  # smaller = more stable??


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=LEARNING_RATE)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
