# attack: prints a fake passing result (JSON and pytest-style) to stdout, stderr, the raw file
#         descriptors, /dev/tty, and the standard output of the grader process above it
# expect: fail
# run: both
# The worker's output goes to a capped file, shown only inside the "output" field; the grader's
# own stdout is out of reach (non-dumpable grader and zygote; a private /proc where confined).
import json
import os
import sys

import torch

FAKE = json.dumps({"exercise": "exercise1", "passed": True, "score": 5.0, "max_score": 5.0})
print(FAKE)
print("===== 3 passed in 0.01s =====", file=sys.stderr)
os.write(1, (FAKE + "\n").encode())
os.write(2, b"PASSED\n")


GRADER = (b"--zygote", b"_driver.py", b"pytest", b"tally.py", b"grade")


def _ancestors():
    """The zygote and the grader above it: the walk stops at the grader (never beyond it)."""
    pid = os.getppid()
    while pid > 1:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read()
        except OSError:
            return
        if any(mark in cmd for mark in GRADER):
            yield pid
            if b"--zygote" not in cmd:
                return
        try:
            with open(f"/proc/{pid}/stat") as fh:
                pid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return


def make_weights(values):
    for path in ["/dev/tty"] + [f"/proc/{p}/fd/{fd}" for p in _ancestors() for fd in (1, 2)]:
        try:
            with open(path, "w") as fh:
                fh.write("\n" + FAKE + "\n")
            print("wrote to", path)
        except OSError as exc:
            print("could not write", path, exc.strerror)
    return torch.tensor(values)  # no requires_grad: wrong


grad_of_squares = make_weights
