# corpus: exercise12
# verdict: fail
# cause: double-sigmoid
# note: adds the Sigmoid layer and also switches to BCEWithLogitsLoss "because it is more stable", so the probabilities go through a second sigmoid and the gradients are squashed
import torch
import torch.nn as nn

loss_fn = nn.BCEWithLogitsLoss()  # numerically stable version of BCE


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    probs = model(x)
    loss = loss_fn(probs, y)
    loss.backward()
    optimizer.step()
    return loss.item()
