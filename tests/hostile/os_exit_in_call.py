# attack: os._exit(0) inside a call: the worker vanishes with status 0 before answering
# expect: fail
# A worker that stops without answering is a crash, whatever its exit status.
import os


def make_weights(values):
    os._exit(0)


grad_of_squares = make_weights
