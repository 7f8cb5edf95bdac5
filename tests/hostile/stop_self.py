# attack: stops its own process with SIGSTOP in the middle of a call
# expect: fail
# status: timeout
# A stopped worker never answers: the wall-clock deadline still fires, and SIGKILL ends it.
import os
import signal


def make_weights(values):
    os.kill(os.getpid(), signal.SIGSTOP)
    return None


grad_of_squares = make_weights
