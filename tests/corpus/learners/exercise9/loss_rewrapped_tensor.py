# corpus: exercise9
# verdict: fail
# cause: graph-broken
# note: turns the loss into a float with .item() and rewraps it in torch.tensor(..., requires_grad=True) to make backward() stop complaining; the new tensor has no link to the model, so no gradients reach w and b
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss_value = F.mse_loss(model(x), y).item()
    # backward() needs a tensor that requires grad (got an error with the float)
    loss = torch.tensor(loss_value, requires_grad=True)
    loss.backward()
    optimizer.step()
    return loss_value
