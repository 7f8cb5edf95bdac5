# corpus: exercise8
# verdict: fail
# cause: manual-gradient
# note: avoids accumulation by writing the gradients of the MSE by hand into .grad instead of calling backward()
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(steps):
        with torch.no_grad():
            err = w * x + b - y
            # dL/dw = 2 * mean(err * x), dL/db = 2 * mean(err)
            w.grad = 2 * (err * x).mean()
            b.grad = 2 * err.mean()
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
