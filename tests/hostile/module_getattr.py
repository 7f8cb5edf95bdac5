# attack: a module-level __getattr__ that answers every name the grader might ask for
# expect: fail
# Every function "exists", but what it returns is checked like any other answer.
import torch


def __getattr__(name):
    def anything(*args, **kwargs):
        return torch.zeros(3, requires_grad=True)

    return anything
