# corpus: exercise12
# verdict: fail
# cause: lr-too-small
# note: uses lr=0.001; five epochs of 25 batches move the weights far too little to separate the classes
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.001)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.binary_cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
