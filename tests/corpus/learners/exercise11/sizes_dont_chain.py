# corpus: exercise11
# verdict: fail
# cause: architecture-mismatch
# note: narrows the second hidden layer to 8 units but the output layer still expects 16 inputs, so the forward pass of make_model(2) crashes with a shape error
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model(hidden_layers=1):
    if hidden_layers == 1:
        return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))
    # funnel: 16 -> 8 -> 1
    return nn.Sequential(
        nn.Linear(1, 16), nn.ReLU(),
        nn.Linear(16, 8), nn.ReLU(),
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
