# attack: returns an 80 MB tensor, past the 64 MB reply limit, to exhaust the grader's memory
# expect: fail
import torch


def make_weights(values):
    return torch.zeros(20_000_000)


grad_of_squares = make_weights
