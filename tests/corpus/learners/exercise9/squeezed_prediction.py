# corpus: exercise9
# verdict: fail
# cause: shape-mismatch
# note: squeezes the prediction to shape (N,) while y stays (N, 1); mse_loss broadcasts to an (N, N) grid and the fit collapses to a flat line at the mean
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    pred = model(x).squeeze()  # get rid of the extra dimension
    loss = F.mse_loss(pred, y)
    loss.backward()
    optimizer.step()
    return loss.item()
