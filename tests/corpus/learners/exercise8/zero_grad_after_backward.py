# corpus: exercise8
# verdict: fail
# cause: zero-grad-misplaced
# note: zero_grad() sits between backward() and step(), so step() always sees zero gradients and w, b never move
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(steps):
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        optimizer.zero_grad()  # clear the old gradients so they don't add up
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
