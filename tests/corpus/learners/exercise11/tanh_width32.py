# corpus: exercise11
# verdict: pass
# cause: none
# note: builds the layers in a loop with Tanh and width 32 and keeps exercise 10's SGD; gradients cleared with set_to_none
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model(hidden_layers=1):
    # TODO: try 3 layers later?
    width = 32
    layers = []
    n_in = 1
    for i in range(hidden_layers):
        layers.append(nn.Linear(n_in, width))
        layers.append(nn.Tanh())
        n_in = width
    layers.append(nn.Linear(n_in, 1))
    return nn.Sequential(*layers)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
