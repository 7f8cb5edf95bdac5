# attack: a train_step that loops forever on the third batch of an epoch (the grader sends an epoch's batches in one request)
# exercise: exercise10
# expect: fail
# status: timeout
# The test's limit still stops it: one request for many calls is bounded like one call.
import torch
import torch.nn as nn
import torch.nn.functional as F

CALLS = []


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    CALLS.append(1)
    while len(CALLS) >= 3:
        pass
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
