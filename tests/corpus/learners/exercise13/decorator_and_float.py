# corpus: exercise13
# verdict: pass
# cause: none
# note: @torch.no_grad() as a decorator on predict and float(loss) for logging
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
        losses.append(float(loss))  # a python float, no graph attached
    return losses


@torch.no_grad()
def predict(model, x):
    return torch.sigmoid(model(x))
