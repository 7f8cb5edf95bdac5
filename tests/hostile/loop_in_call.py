# attack: infinite loops inside the graded functions (import is fine)
# expect: fail
# status: timeout
# Each test is stopped at its own limit; the exercise's total limit bounds the whole grade.
import torch


def make_weights(values):
    while True:
        pass


def grad_of_squares(values):
    x = 0
    while True:
        x += 1
