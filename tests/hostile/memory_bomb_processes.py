# attack: a memory bomb spread over 6 processes (rlimits are per process; the cgroup is not)
# expect: fail
# Bounded by itself: 6 children x 400 MB. Each stays under RLIMIT_AS on its own; the session's
# memory cgroup, where available, bounds the total (the kernel kills inside the session).
import os
import time

import torch


def make_weights(values):
    for _ in range(6):
        if os.fork() == 0:
            try:
                block = bytearray(400 * 1024 * 1024)
                time.sleep(60)  # hostile-orphan
            finally:
                os._exit(0)
    time.sleep(1.0)
    return torch.tensor(values) * 0


grad_of_squares = make_weights
