# corpus: exercise13
# verdict: pass
# cause: none
# note: no_grad only around the forward pass (the sigmoid of an untracked tensor is untracked too), model.eval()/train() toggled, manual grad reset
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
    for i, (x, y) in enumerate(batches):
        for p in model.parameters():
            p.grad = None
        logits = model(x)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        loss.backward()
        optimizer.step()
        loss_value = loss.item()
        losses.append(loss_value)
        # if i % 5 == 0: print(i, loss_value)
    return losses


def predict(model, x):
    model.eval()
    with torch.no_grad():
        logits = model(x)
    model.train()
    return torch.sigmoid(logits)  # logits has no grad_fn, so neither does this
