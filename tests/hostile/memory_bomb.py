# attack: a memory bomb that first tries to raise its own memory limits, then keeps allocating
# expect: fail
# Bounded by itself to 6 GB, so a sandbox that failed could not take the machine down.
# The raise fails (no CAP_SYS_RESOURCE for a confined root, never for others); RLIMIT_AS and,
# where available, the session's memory cgroup stop the allocation.
import resource

import torch

try:
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print("raised RLIMIT_AS")
except (ValueError, OSError) as exc:
    print("could not raise RLIMIT_AS:", exc)


def make_weights(values):
    chunks = []
    for _ in range(96):  # 96 x 64 MB = 6 GB at most
        chunks.append(bytearray(64 * 1024 * 1024))
    return torch.tensor(values, requires_grad=True)


def grad_of_squares(values):
    big = torch.ones(6 * 1024**3 // 4)  # 6 GB in one allocation
    return big[: len(values)]
