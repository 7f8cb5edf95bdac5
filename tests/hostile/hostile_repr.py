# attack: returns an object whose __repr__ never finishes (the worker describes returned objects)
# expect: fail
# status: timeout
import torch


class Endless:
    def __repr__(self):
        while True:
            pass


def make_weights(values):
    return Endless()


grad_of_squares = make_weights
