# corpus: exercise11
# verdict: pass
# cause: none
# note: a Module subclass that stores its hidden layers in nn.ModuleList, ReLU via torch.relu, width 16, the given SGD step
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, hidden_layers, width=16):
        super().__init__()
        sizes = [1] + [width] * hidden_layers
        # ModuleList so the optimizer can find them
        self.hidden = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])
        )
        self.out = nn.Linear(width, 1)

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
