# attack: leaves processes running after its calls return: a detached child in its own session
#         and a double-forked daemon, both sleeping for two minutes
# expect: fail
# The session's processes are killed when it closes (its cgroup, its pid namespace, or the
# zygote's subreaper sweep); the corpus test looks for them by the token in their argv.
import os
import subprocess
import sys
import time

import torch

TOKEN = "{{TOKEN}}"


def make_weights(values):
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", TOKEN],
                     start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execv(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)", TOKEN])
        os._exit(0)
    time.sleep(0.3)
    return torch.tensor(values)


grad_of_squares = make_weights
