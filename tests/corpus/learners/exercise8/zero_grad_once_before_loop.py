# corpus: exercise8
# verdict: fail
# cause: grad-accumulation
# also: zero-grad-misplaced
# note: zero_grad() is called once before the loop instead of every step, so the gradients still pile up from step to step
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    optimizer.zero_grad()  # start from clean gradients
    history = []
    for _ in range(steps):
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
