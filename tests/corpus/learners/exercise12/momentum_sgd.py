# corpus: exercise12
# verdict: pass
# cause: none
# note: SGD with momentum 0.9 and lr=0.05, layers given by keyword, zeroes gradients by hand after each step
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(in_features=10, out_features=1), nn.Sigmoid())


def make_optimizer(model):
    # TODO: compare with plain SGD lr=0.3
    return torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)


def train_step(model, optimizer, x, y):
    loss = F.binary_cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    for p in model.parameters():  # reset for next batch
        p.grad = None
    return loss.item()
