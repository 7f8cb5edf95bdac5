# corpus: exercise3
# verdict: fail
# cause: no-grad-misuse
# note: wrapped y = x**2 in torch.no_grad() (to stop the backward error), so nothing is recorded and y.sum().backward() raises
import torch


def cubic_grad(values):
    x = torch.tensor(values, requires_grad=True)
    loss = (x ** 3).sum()
    loss.backward()
    return x.grad


def square_grad(values):
    x = torch.tensor(values, requires_grad=True)
    with torch.no_grad():
        y = x ** 2
    y.sum().backward()
    return x.grad
