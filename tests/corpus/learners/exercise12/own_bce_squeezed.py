# corpus: exercise12
# verdict: fail
# cause: shape-mismatch
# note: writes binary cross-entropy out by hand with p squeezed to (B,) while y is (B, 1); the expression broadcasts to a B x B grid, so every row is pushed towards the batch's average label
import torch
import torch.nn as nn


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def bce(p, y, eps=1e-7):
    p = p.clamp(eps, 1 - eps)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    p = model(x).squeeze()  # (B,)
    loss = bce(p, y)
    loss.backward()
    optimizer.step()
    return loss.item()
