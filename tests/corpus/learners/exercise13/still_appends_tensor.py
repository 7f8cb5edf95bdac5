# corpus: exercise13
# verdict: fail
# cause: graph-kept-alive
# note: fixed predict() but still does losses.append(loss), so train_epoch returns loss tensors that keep every step's graph alive instead of plain numbers
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
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss)  # already backward()ed, so it's fine?
    return losses


def predict(model, x):
    with torch.no_grad():
        return torch.sigmoid(model(x))
