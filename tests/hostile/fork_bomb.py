# attack: a process bomb: a fresh interpreter forks sleeping children until fork fails
#         (bounded to 400 by itself, so a failed sandbox cannot take the machine down)
# expect: fail
# Root ignores RLIMIT_NPROC; the session's pids cgroup (or the unprivileged user) stops it near
# the 128-task limit. Every child dies with the session. It prints how far it got.
import subprocess
import sys

BOMB = """
import os, time
count = 0
for _ in range(400):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(300)
        os._exit(0)
    count += 1
print(f"forked {count}", flush=True)
"""


def make_weights(values):
    subprocess.run([sys.executable, "-S", "-c", BOMB], timeout=30)
    raise RuntimeError("bomb done")


grad_of_squares = make_weights
