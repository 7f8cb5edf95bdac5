# corpus: exercise8
# verdict: fail
# cause: grad-accumulation
# note: zeroes w.grad by hand but forgets b.grad, so the bias still steps with the sum of all earlier gradients
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for step in range(steps):
        if w.grad is not None:
            w.grad.zero_()  # reset the gradient from last time
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
