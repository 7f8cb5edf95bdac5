# corpus: exercise10
# verdict: fail
# cause: manual-gradient
# note: found and fixed the sign slip in the bias formula but kept the hand-written gradients, so the gradients still don't come from autograd and the hidden layer never learns
import torch
import torch.nn as nn


def make_model():
    return nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.05)


def train_step(model, optimizer, x, y):
    with torch.no_grad():
        hidden = model[1](model[0](x))
        error = model[2](hidden) - y
        grad_weight = 2 * (error * hidden).mean(dim=0, keepdim=True)
        grad_bias = 2 * error.mean(dim=0)  # fixed: was (y - pred), sign was wrong
        model[2].weight -= 0.1 * grad_weight
        model[2].bias -= 0.1 * grad_bias
    return float((error ** 2).mean())
