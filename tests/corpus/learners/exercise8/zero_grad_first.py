# corpus: exercise8
# verdict: pass
# cause: none
# note: optimizer.zero_grad(set_to_none=True) at the top of each step, with a debug print left in (commented)
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for i in range(steps):
        optimizer.zero_grad(set_to_none=True)  # FIX: grads were adding up!!
        loss = torch.mean((w * x + b - y) ** 2)
        loss.backward()
        # print(i, w.grad, b.grad)
        optimizer.step()
        history.append((w.item(), b.item()))
    return history
