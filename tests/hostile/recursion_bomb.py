# attack: unbounded recursion with the recursion limit raised, to overflow the C stack
# expect: fail
# The worker crashes (or raises RecursionError); either way the call fails and nothing hangs.
import sys

sys.setrecursionlimit(10**8)


def deeper(n):
    return deeper(n + 1) + 1


def make_weights(values):
    return deeper(0)


def grad_of_squares(values):
    sys.setrecursionlimit(1000)
    return deeper(0)
