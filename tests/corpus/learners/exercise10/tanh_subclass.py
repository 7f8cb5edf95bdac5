# corpus: exercise10
# verdict: pass
# cause: none
# note: a Module subclass like the lesson's SimpleNet but with 32 Tanh units, nn.MSELoss and SGD lr=0.05 (tried 0.2 first: NaN)
import torch
import torch.nn as nn
import torch.optim as optim


class SimpleNet(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.linear1 = nn.Linear(1, hidden)
        self.act = nn.Tanh()
        self.linear2 = nn.Linear(hidden, 1)

    def forward(self, x):
        x = self.linear1(x)
        x = self.act(x)
        x = self.linear2(x)
        return x


criterion = nn.MSELoss()


def make_model():
    return SimpleNet()


def make_optimizer(model):
    # 0.2 gave nan after a few epochs, 0.05 is fine
    return optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()  # Clear old gradients
    outputs = model(x)
    loss = criterion(outputs, y)
    loss.backward()  # Automatic differentiation computes gradients
    optimizer.step()  # Update weights
    return loss.item()
