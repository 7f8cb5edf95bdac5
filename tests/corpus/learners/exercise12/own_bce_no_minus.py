# corpus: exercise12
# verdict: fail
# cause: wrong-formula
# also: wrong-sign-update
# note: hand-written binary cross-entropy without the leading minus, so the optimizer maximises the log-likelihood's negative and drives predictions to the wrong class
import torch
import torch.nn as nn


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    p = model(x)
    # binary cross entropy: y*log(p) + (1-y)*log(1-p)
    loss = (y * torch.log(p + 1e-8) + (1 - y) * torch.log(1 - p + 1e-8)).mean()
    loss.backward()
    optimizer.step()
    return loss.item()
