"""Reference solution for exercise 12: the pipeline."""

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())  # probabilities for BCE


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.binary_cross_entropy(model(x), y)  # forward pass and loss
    loss.backward()  # automatic differentiation
    optimizer.step()  # weights update
    return loss.item()
