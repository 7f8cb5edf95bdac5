# corpus: exercise13
# verdict: fail
# cause: no-grad-misuse
# note: wraps the whole training loop in torch.no_grad() to save memory, so the loss has no graph and backward() raises
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
    # no_grad so we don't keep graphs around
    with torch.no_grad():
        for x, y in batches:
            optimizer.zero_grad()
            loss = F.binary_cross_entropy_with_logits(model(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return losses


def predict(model, x):
    with torch.no_grad():
        return torch.sigmoid(model(x))
