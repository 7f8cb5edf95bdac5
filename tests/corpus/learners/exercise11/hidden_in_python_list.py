# corpus: exercise11
# verdict: fail
# cause: other:layers-not-registered
# also: partial-optimizer
# note: keeps the hidden layers in a plain Python list inside a Module, so they are not registered: model.parameters() (and the optimizer, and state_dict) see only the output layer
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, hidden_layers, width=16):
        super().__init__()
        self.hidden = []
        in_features = 1
        for _ in range(hidden_layers):
            self.hidden.append(nn.Linear(in_features, width))
            in_features = width
        self.out = nn.Linear(in_features, 1)

    def forward(self, x):
        for layer in self.hidden:
            x = torch.relu(layer(x))
        return self.out(x)


def make_model(hidden_layers=1):
    return MLP(hidden_layers)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
