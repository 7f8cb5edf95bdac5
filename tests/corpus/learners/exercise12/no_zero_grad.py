# corpus: exercise12
# verdict: fail
# cause: grad-accumulation
# note: the five pipeline stages without zero_grad(): every batch's gradient is added to all earlier batches', so the updates keep growing in one direction
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.3)


def train_step(model, optimizer, x, y):
    # 2. forward
    probs = model(x)
    # 3. loss
    loss = F.binary_cross_entropy(probs, y)
    # 4. autograd
    loss.backward()
    # 5. update
    optimizer.step()
    return loss.item()
