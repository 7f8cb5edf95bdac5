# corpus: exercise13
# verdict: fail
# cause: grad-accumulation
# note: rewrote the loop and dropped optimizer.zero_grad(), so each batch's gradient adds onto every earlier batch's and Adam follows a stale running sum
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
        out = model(x)
        loss = F.binary_cross_entropy_with_logits(out, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def predict(model, x):
    with torch.no_grad():
        probs = torch.sigmoid(model(x))
    return probs
