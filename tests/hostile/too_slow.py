# attack: a correct solution that takes 30 s per call (past the 2 s limit per test)
# expect: fail
# status: timeout
import time

import torch


def make_weights(values):
    time.sleep(30)
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grad_of_squares(values):
    w = make_weights(values)
    (w ** 2).sum().backward()
    return w.grad
