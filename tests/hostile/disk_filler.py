# attack: fills the disk with files in its working directory (bounded to 320 MB by itself)
# expect: fail
# Each file is capped by RLIMIT_FSIZE; the working directory is a 64 MB tmpfs where mounts are
# allowed, and it disappears with the session.
import os

import torch


def make_weights(values):
    written = 0
    try:
        for i in range(40):
            with open(f"filler-{i}.bin", "wb") as fh:
                for _ in range(8):
                    fh.write(b"\0" * (1024 * 1024))
                    written += 1
    except OSError as exc:
        print(f"stopped: {exc.strerror}")
    print(f"wrote {written} MB", flush=True)
    return torch.tensor(values)  # and no requires_grad: wrong anyway


grad_of_squares = make_weights
