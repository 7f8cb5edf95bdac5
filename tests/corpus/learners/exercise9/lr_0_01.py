# corpus: exercise9
# verdict: fail
# cause: lr-too-small
# note: picks lr=0.01 because that is "the usual default"; 40 full-batch epochs are far too few at that rate
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    # 0.01 is what everyone uses
    return torch.optim.SGD(model.parameters(), lr=0.01)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    pred = model(x)
    loss = F.mse_loss(pred, y)
    loss.backward()
    optimizer.step()
    return loss.item()
