# corpus: exercise11
# verdict: fail
# cause: lr-too-large
# note: raises the learning rate to 0.5 because "a deeper net learns slower"; the two-layer net's updates overshoot and it blows up
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model(hidden_layers=1):
    layers = [nn.Linear(1, 16), nn.ReLU()]
    if hidden_layers == 2:
        layers += [nn.Linear(16, 16), nn.ReLU()]
    layers.append(nn.Linear(16, 1))
    return nn.Sequential(*layers)


def make_optimizer(model):
    # deeper = slower, so bigger lr to make up for it
    return torch.optim.SGD(model.parameters(), lr=0.5)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
