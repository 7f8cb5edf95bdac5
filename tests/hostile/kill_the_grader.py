# attack: SIGKILLs every ancestor it can see that belongs to the grader (the zygote and the
#         `grade` process itself), to lose the attempt or leave processes behind
# expect: fail
# run: subprocess
# Run only as a separate `grade` process (it would kill the test runner otherwise). Inside a pid
# namespace no ancestor is visible: the grade completes and stores a fail. Elsewhere the grade
# may die; then no row is stored (never a pass) and nothing is left running.
import os
import signal
import subprocess
import sys
import time

import torch

TOKEN = "{{TOKEN}}"


def _chain():
    pid = os.getpid()
    while pid > 1:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                pid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read()
        except (OSError, ValueError, IndexError):
            return
        if b"_driver.py" in cmd or b"--zygote" in cmd:
            yield pid


def make_weights(values):
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", TOKEN],
                     start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    targets = list(_chain())
    print("ancestors visible:", targets)
    for pid in targets:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    time.sleep(0.5)
    return torch.tensor(values)


grad_of_squares = make_weights
