# corpus: exercise10
# verdict: fail
# cause: lr-too-large
# note: lr=1.0 to hit the target "in fewer epochs"; the steps overshoot, the weights blow up and the loss ends in the hundreds
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    # 20 epochs isn't much, so take big steps
    return torch.optim.SGD(model.parameters(), lr=1.0)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
