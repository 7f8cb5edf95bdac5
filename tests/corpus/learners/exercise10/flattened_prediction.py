# corpus: exercise10
# verdict: fail
# cause: shape-mismatch
# note: flattens the prediction to (N,) but leaves y as (N, 1); the loss silently broadcasts to N x N pairs and the net learns the mean of y instead of the line
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    pred = model(x).flatten()  # one number per point
    loss = F.mse_loss(pred, y)
    loss.backward()
    optimizer.step()
    return loss.item()
