# corpus: exercise13
# verdict: fail
# cause: graph-broken
# note: detaches the model's output before the loss ('no graph = less memory') and then sets loss.requires_grad = True to silence the backward() error; no gradient reaches the weights, so the model never trains
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    """Given: two inputs, one hidden layer, one score (a logit) per point."""
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))


def make_optimizer(model):
    """Given."""
    return torch.optim.Adam(model.parameters(), lr=0.05)


def train_epoch(model, optimizer, batches):
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        logits = model(x).detach()  # don't keep the graph
        loss = F.binary_cross_entropy_with_logits(logits, y)
        loss.requires_grad = True  # otherwise backward() complains
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def predict(model, x):
    with torch.no_grad():
        return torch.sigmoid(model(x))
