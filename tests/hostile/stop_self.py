# attack: stops its own process with SIGSTOP in the middle of a call
# expect: fail
# Inside a pid namespace the worker is its init, and the kernel drops a stop it sends itself: the
# call returns None and fails. Elsewhere the stopped worker never answers: the wall-clock deadline
# fires, and SIGKILL ends it (status timeout).
import os
import signal


def make_weights(values):
    os.kill(os.getpid(), signal.SIGSTOP)
    return None


grad_of_squares = make_weights
