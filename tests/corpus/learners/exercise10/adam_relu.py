# corpus: exercise10
# verdict: pass
# cause: none
# note: keeps the stub's ReLU network but trains it with Adam (lr=0.01) and zeroes gradients with set_to_none
import torch
import torch.nn as nn
import torch.nn.functional as F

HIDDEN = 16


def make_model():
    return nn.Sequential(nn.Linear(1, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, 1))


def make_optimizer(model):
    # Adam adapts the step size per parameter
    return torch.optim.Adam(model.parameters(), lr=0.01)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
