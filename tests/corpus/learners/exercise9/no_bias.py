# corpus: exercise9
# verdict: fail
# cause: architecture-mismatch
# note: builds nn.Linear(1, 1, bias=False), so the model is w * x only and can never learn the intercept b = 1
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    # y = w*x, we just need the slope
    return nn.Linear(1, 1, bias=False)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
