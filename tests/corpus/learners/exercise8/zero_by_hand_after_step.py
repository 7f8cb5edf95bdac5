# corpus: exercise8
# verdict: pass
# cause: none
# note: clears both gradients by hand at the end of every step (after step()), which is equivalent to zeroing at the start
import torch


def _clear(*params):
    for p in params:
        if p.grad is not None:
            p.grad.zero_()


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(steps):
        pred = w * x + b
        loss = torch.mean((pred - y) ** 2)
        loss.backward()
        optimizer.step()
        _clear(w, b)  # so the next backward starts from 0 and doesn't add to this one
        history.append((float(w), float(b)))
    return history
