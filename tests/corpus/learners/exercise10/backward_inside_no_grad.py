# corpus: exercise10
# verdict: fail
# cause: no-grad-misuse
# note: kept the stub's `with torch.no_grad():` block and put the autograd step inside it, so the loss has no graph and backward() raises
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    # TODO: hand-written gradients, as before autograd: only the output layer learns.
    # Replace all of this with zero_grad(), a loss, loss.backward() and optimizer.step().
    with torch.no_grad():
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()
