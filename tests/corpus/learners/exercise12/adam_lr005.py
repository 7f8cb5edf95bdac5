# corpus: exercise12
# verdict: pass
# cause: none
# note: Adam with lr=0.05 instead of SGD, F.binary_cross_entropy, gradients set to None
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    model = nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())
    return model


def make_optimizer(model):
    return torch.optim.Adam(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    probs = model(x)              # (B, 1) probabilities
    loss = F.binary_cross_entropy(probs, y)
    loss.backward()
    optimizer.step()
    return loss.item()
