# corpus: exercise10
# verdict: pass
# cause: none
# note: named layers in an OrderedDict, LeakyReLU with 24 units, SGD lr=0.02 with momentum 0.9, a debug counter and print
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

step_count = 0


def make_model():
    return nn.Sequential(OrderedDict([
        ("hidden", nn.Linear(1, 24)),
        ("act", nn.LeakyReLU(0.1)),
        ("out", nn.Linear(24, 1)),
    ]))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)


def train_step(model, optimizer, x, y):
    global step_count
    optimizer.zero_grad()
    prediction = model(x)
    loss = F.mse_loss(prediction, y)
    loss.backward()
    optimizer.step()
    step_count += 1
    if step_count % 100 == 0:
        print("step", step_count, "loss", round(loss.item(), 4))
    return loss.item()
