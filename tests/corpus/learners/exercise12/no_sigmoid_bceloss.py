# corpus: exercise12
# verdict: fail
# cause: bce-needs-probabilities
# note: switched to nn.BCELoss but left the model as a bare Linear, believing the loss applies the sigmoid; BCELoss gets raw scores outside [0, 1] and errors out
import torch
import torch.nn as nn

criterion = nn.BCELoss()  # binary cross entropy (does the sigmoid for us)


def make_model():
    return nn.Sequential(nn.Linear(10, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    output = model(x)
    loss = criterion(output, y)
    loss.backward()
    optimizer.step()
    return loss.item()
