"""Exercise 13: evaluate and log without tracking.

Every operation on a tracked tensor is recorded, and a tensor keeps its whole graph alive
through its grad_fn. Two everyday habits therefore cost memory for nothing:

* logging: `losses.append(loss)` stores the loss tensor, and with it that step's graph,
  for every step of the run. `loss.item()` (a Python number) or `loss.detach()` does not.
* evaluation: running the model only to look at its predictions still records a graph
  unless the code runs inside `with torch.no_grad():`.

The model, optimizer and training step are given and work. Fix what the loop keeps.

Your task (keep the function names and arguments):

train_epoch(model, optimizer, batches) -> list[float]
    One optimizer step per (x, y) batch, in order, as given; return the loss of each step as
    a plain Python number, in order.

predict(model, x) -> Tensor
    The model's probabilities sigmoid(model(x)), shape (N, 1), computed without building a
    graph: the result must not require grad.

The grader also trains the model for 20 epochs on points inside and outside a circle and
measures held-out points (targets: accuracy > 0.85, binary cross-entropy < 0.35).

Check your work with:  grade exercise13
"""

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
        losses.append(loss)  # TODO: this keeps every step's loss tensor, and its graph, alive
    return losses


def predict(model, x):
    # TODO: evaluation records a graph nobody will ever call backward() on
    return torch.sigmoid(model(x))
