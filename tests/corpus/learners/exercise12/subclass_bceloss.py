# corpus: exercise12
# verdict: pass
# cause: none
# note: a Module subclass with a linear and a sigmoid attribute (the lesson's layer list), nn.BCELoss and SGD lr=0.3, a batch counter print
import torch
import torch.nn as nn


class PipelineModel(nn.Module):
    """Layer 2: Linear, Layer 3: Sigmoid (from the prediction trace)."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(10, 1)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return self.sigmoid(self.linear(x))


criterion = nn.BCELoss()
batches_seen = 0


def make_model():
    return PipelineModel()


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    global batches_seen
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    batches_seen += 1
    if batches_seen % 25 == 0:  # 800 / 32 = 25 batches per epoch
        print(f"epoch {batches_seen // 25}: last batch loss {loss.item():.3f}")
    return loss.item()
