# corpus: exercise11
# verdict: fail
# cause: missing-activation
# note: the extra Linear(16, 16) goes in without an activation after it, so the "second hidden layer" just merges with the output layer into one linear map
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model(hidden_layers=1):
    if hidden_layers == 2:
        return nn.Sequential(
            nn.Linear(1, 16),
            nn.ReLU(),
            nn.Linear(16, 16),
            nn.Linear(16, 1),
        )
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
