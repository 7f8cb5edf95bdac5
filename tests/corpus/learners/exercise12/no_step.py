# corpus: exercise12
# verdict: fail
# cause: no-update
# note: computes the loss and calls backward() but never calls optimizer.step(), thinking backward() already updates the weights
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.binary_cross_entropy(model(x), y)
    loss.backward()  # automatic differentiation updates the weights
    return loss.item()
