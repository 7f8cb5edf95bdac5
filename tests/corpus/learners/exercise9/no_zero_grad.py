# corpus: exercise9
# verdict: fail
# cause: grad-accumulation
# note: the step has forward, backward and step but no zero_grad(), so every epoch's gradient is added to all earlier ones and the weights swing around the line
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(model, optimizer, x, y):
    # forward
    out = model(x)
    loss = F.mse_loss(out, y)
    # backward + update
    loss.backward()
    optimizer.step()
    return loss.item()
