# attack: replaces the worker process with another program (os.execv) that sleeps
# expect: fail
# The socket is not inherited across exec, so the grader sees the worker go away; the program
# it became dies with the session.
import os
import sys

TOKEN = "{{TOKEN}}"


def make_weights(values):
    os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)", TOKEN])


grad_of_squares = make_weights
