# corpus: exercise10
# verdict: fail
# cause: grad-accumulation
# note: replaced the manual code with backward() and step() but left out zero_grad(), so each batch's gradient is added to all the earlier ones
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    pred = model(x)
    loss = F.mse_loss(pred, y)
    loss.backward()   # autograd does all the gradients now :)
    optimizer.step()
    return loss.item()
