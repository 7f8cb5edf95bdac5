# corpus: exercise11
# verdict: fail
# cause: architecture-mismatch
# note: adds the second hidden layer but ignores hidden_layers, so make_model(1) also has two hidden layers and there is nothing to compare
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model(hidden_layers=1):
    # second hidden layer added
    return nn.Sequential(
        nn.Linear(1, 16), nn.ReLU(),
        nn.Linear(16, 16), nn.ReLU(),
        nn.Linear(16, 1),
    )


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
