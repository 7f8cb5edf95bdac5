# corpus: exercise9
# verdict: pass
# cause: none
# note: SGD with momentum=0.5 and lr=0.1, gradients set to None instead of zeroed
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    model = nn.Linear(1, 1)
    return model


def make_optimizer(model):
    # momentum helps it get there a bit faster (read about it online)
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.5)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    y_hat = model(x)
    loss = F.mse_loss(y_hat, y)
    loss.backward()
    optimizer.step()
    # print(model.weight.item(), model.bias.item())
    return float(loss.item())
