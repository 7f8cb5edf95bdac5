# attack: none: a correct solution that is slow (0.4 s per call, well inside the 2 s limit)
# expect: pass
# Slowness alone must not fail correct code.
import time

import torch


def make_weights(values):
    time.sleep(0.4)
    return torch.tensor(values, dtype=torch.float32, requires_grad=True)


def grad_of_squares(values):
    w = make_weights(values)
    (w ** 2).sum().backward()
    return w.grad
