# corpus: exercise9
# verdict: pass
# cause: none
# note: lr=0.4 near the top of the suggested range, explicit mean of squared errors instead of F.mse_loss, zeroes the grads at the end of the step
import torch
import torch.nn as nn


def make_model():
    return nn.Linear(in_features=1, out_features=1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.4)  # TODO try 0.5?


def train_step(model, optimizer, x, y):
    pred = model(x)
    loss = ((pred - y) ** 2).mean()  # MSE written out
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()  # clean up for the next step
    return loss.item()
