# attack: raises KeyboardInterrupt in calls and sends SIGINT to itself, to look like Ctrl-C
# expect: fail
# A KeyboardInterrupt from student code is a failed call, never an interrupted grade (exit 130).
import os
import signal


def make_weights(values):
    raise KeyboardInterrupt


def grad_of_squares(values):
    os.kill(os.getpid(), signal.SIGINT)
    return None
