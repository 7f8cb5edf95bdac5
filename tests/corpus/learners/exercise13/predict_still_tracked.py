# corpus: exercise13
# verdict: fail
# cause: eval-tracks-gradients
# note: logs loss.item() correctly but predict() still runs the model outside torch.no_grad(), so the probabilities carry a grad_fn and a graph nobody uses
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
        losses.append(loss.item())  # plain number now
    return losses


def predict(model, x):
    # TODO: evaluation records a graph nobody will ever call backward() on
    probs = torch.sigmoid(model(x))
    return probs
