# corpus: exercise9
# verdict: fail
# cause: partial-optimizer
# note: the optimizer gets only model.weight, so the bias never moves from its random start and b never reaches 1
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    # the weight is the thing we learn
    return torch.optim.SGD([model.weight], lr=0.1)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
