# attack: opens files until it runs out of file descriptors (RLIMIT_NOFILE), then answers
# expect: fail
import os

import torch

held = []
try:
    while len(held) < 100000:
        held.append(os.open(os.devnull, os.O_RDONLY))
except OSError as exc:
    print(f"stopped after {len(held)} descriptors: {exc.strerror}")


def make_weights(values):
    return torch.tensor(values)


grad_of_squares = make_weights
