# corpus: exercise8
# verdict: pass
# cause: none
# note: gets fresh gradients each step from torch.autograd.grad (which never accumulates) and hands them to the optimizer via .grad
import torch


def fit_line(x, y, w0, b0, lr, steps):
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for step in range(steps):
        loss = torch.mean((w * x + b - y) ** 2)
        # autograd.grad returns the gradients instead of adding them into .grad
        gw, gb = torch.autograd.grad(loss, [w, b])
        w.grad, b.grad = gw, gb  # overwrite, not +=
        optimizer.step()
        history.append((w.item(), b.item()))
        if step % 10 == 0:
            print(f"step {step}: loss={loss.item():.4f} w={w.item():.3f} b={b.item():.3f}")
    return history
