# corpus: exercise8
# verdict: fail
# cause: wrong-reduction
# also: lr-too-large
# note: uses the sum of squared errors instead of the mean, so the gradient is N times larger and the steps blow up
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((w * x + b - y) ** 2).sum()  # squared error
        loss.backward()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
