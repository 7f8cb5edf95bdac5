# corpus: exercise10
# verdict: fail
# cause: lr-too-small
# note: lowered the learning rate to 0.001 "so it doesn't overshoot"; 20 epochs of 10 batches are nowhere near enough at that rate
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.001)  # small so it doesn't overshoot


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
