# corpus: exercise10
# verdict: fail
# cause: architecture-mismatch
# note: puts a ReLU after the output layer too ("activation after every layer"), so the network can never predict the negative part of the line
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(
        nn.Linear(1, 16), nn.ReLU(),
        nn.Linear(16, 1), nn.ReLU(),
    )


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    out = model(x)
    loss = F.mse_loss(out, y)
    loss.backward()
    optimizer.step()
    return loss.item()
