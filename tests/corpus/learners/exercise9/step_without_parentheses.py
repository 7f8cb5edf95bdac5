# corpus: exercise9
# verdict: fail
# cause: no-update
# note: writes `optimizer.step` without the parentheses, so the update is never called and w, b stay at their initial values
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step  # update the weights
    return loss.item()
