# corpus: exercise10
# verdict: fail
# cause: missing-activation
# note: two Linear layers with nothing between them: the "hidden layer" collapses into one linear map, so the model is not Linear → activation → Linear as required
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    # hidden layer of 16
    return nn.Sequential(
        nn.Linear(1, 16),
        nn.Linear(16, 1),
    )


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
