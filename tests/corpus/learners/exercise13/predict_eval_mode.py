# corpus: exercise13
# verdict: fail
# cause: eval-tracks-gradients
# note: calls model.eval() in predict() believing it switches off gradient tracking; eval() only changes dropout/batch-norm behaviour, so the output still requires grad
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
    model.train()
    losses = []
    for x, y in batches:
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def predict(model, x):
    model.eval()  # evaluation mode -> no gradients
    return torch.sigmoid(model(x))
