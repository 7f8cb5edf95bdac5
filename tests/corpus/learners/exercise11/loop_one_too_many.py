# corpus: exercise11
# verdict: fail
# cause: architecture-mismatch
# note: builds the input layer and then loops range(hidden_layers) adding Linear(16, 16) + ReLU each time, so make_model(1) has two hidden layers and make_model(2) three
import torch
import torch.nn as nn
import torch.nn.functional as F

H = 16


def make_model(hidden_layers=1):
    layers = [nn.Linear(1, H), nn.ReLU()]
    for _ in range(hidden_layers):
        layers += [nn.Linear(H, H), nn.ReLU()]
    layers.append(nn.Linear(H, 1))
    return nn.Sequential(*layers)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
