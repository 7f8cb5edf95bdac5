# attack: sys.exit(0) inside a graded call, hoping a clean exit reads as success
# expect: fail
# SystemExit is caught in the worker and fails that call with a message saying so.
import sys


def make_weights(values):
    sys.exit(0)


def grad_of_squares(values):
    raise SystemExit("all tests passed")
