# attack: starts a marked child, then SIGKILLs its parent process (the zygote where it is visible)
# expect: fail
# Inside a pid namespace the parent is outside it: getppid() says 0, and kill(0, ...) reaches only
# the worker's own process group, whose leader is the namespace's init and ignores it. Otherwise
# the zygote dies, the trusted side starts a fresh one, and the child is killed with its session.
import os
import signal
import subprocess
import sys

import torch

TOKEN = "{{TOKEN}}"


def make_weights(values):
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", TOKEN],
                     start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        os.kill(os.getppid(), signal.SIGKILL)
    except OSError as exc:
        print("could not kill the parent:", exc)
    return torch.tensor(values)


grad_of_squares = make_weights
