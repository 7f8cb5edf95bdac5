# corpus: exercise12
# verdict: fail
# cause: lr-too-large
# note: lr=50 "because there are only 5 epochs"; each batch throws the weights far past the optimum, the sigmoid saturates and held-out predictions are confidently wrong
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    # only 5 epochs -> need big steps
    return torch.optim.SGD(model.parameters(), lr=50.0)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.binary_cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
