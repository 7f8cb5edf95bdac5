# corpus: exercise9
# verdict: fail
# cause: zero-grad-misplaced
# note: clears the gradients right after backward() and before step(), so step() has nothing to apply
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.2)


def train_step(model, optimizer, x, y):
    prediction = model(x)
    loss = F.mse_loss(prediction, y)
    loss.backward()
    optimizer.zero_grad()   # reset gradients
    optimizer.step()        # update
    return loss.item()
