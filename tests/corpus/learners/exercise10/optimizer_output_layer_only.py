# corpus: exercise10
# verdict: fail
# cause: partial-optimizer
# note: gives the optimizer only the output layer's parameters (as the old manual code did), so the hidden layer is never trained although the task asks for all parameters
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    # the last layer makes the prediction, so that's what we optimize
    return torch.optim.SGD(model[2].parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
