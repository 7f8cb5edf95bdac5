# corpus: exercise9
# verdict: fail
# cause: lr-too-large
# note: cranks the learning rate up to 1.5 to "train faster"; each step overshoots more and the weights blow up to inf/NaN
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    # bigger steps -> fewer epochs needed?
    return torch.optim.SGD(model.parameters(), lr=1.5)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
