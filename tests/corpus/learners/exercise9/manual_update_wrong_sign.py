# corpus: exercise9
# verdict: fail
# cause: wrong-sign-update
# note: writes the SGD update by hand as p += lr * p.grad (gradient ascent), so the loss grows every epoch
import torch
import torch.nn as nn
import torch.nn.functional as F

LR = 0.1


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    # I do the update myself in train_step, the optimizer is just for zero_grad
    return torch.optim.SGD(model.parameters(), lr=LR)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p += LR * p.grad  # move along the gradient
    return loss.item()
