"""Exercise 9: a training loop that learns y = 2x + 1.

Gradients are the compass of training: they say which way to move each weight to make the
loss smaller. One training step is always the same five moves:

    optimizer.zero_grad()        # forget the previous step's gradients
    prediction = model(x)        # forward pass (autograd records the graph)
    loss = loss_fn(prediction, y)
    loss.backward()              # autograd fills every parameter's .grad
    optimizer.step()             # move every parameter against its gradient

Your task (keep the function names and arguments):

make_model() -> nn.Module
    One nn.Linear(1, 1): prediction = w * x + b.

make_optimizer(model) -> torch.optim.Optimizer
    Stochastic gradient descent over the model's parameters. Pick the learning rate: on
    these points 0.1 to 0.5 reaches the line within 40 epochs; 0.01 would need hundreds.

train_step(model, optimizer, x, y) -> float
    One step on the batch x, y (both of shape (N, 1)) with the mean squared error.
    Return the loss as a Python number (loss.item()).

The grader runs the loop, not your code: 40 epochs, each one full-batch step on 20 points of
y = 2x + 1 spread across [-2, 2]. After every epoch it reads w and b and measures the mean
squared error on fresh points (target: < 0.01); accuracy in the trace is the share of fresh
points predicted within 0.1 of the line. In the end w must be within 0.05 of 2 and b within
0.05 of 1, and the same code must learn another line that the tests pick at random.

Check your work with:  grade exercise9
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    return nn.Linear(1, 1)


def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    # TODO: the gradients are computed, but nothing moves the weights yet
    return loss.item()
