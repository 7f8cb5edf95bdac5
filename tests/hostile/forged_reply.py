# attack: writes its own reply frame into the worker's socket: a pickle whose __reduce__ runs
#         code, hoping the grader unpickles it (and, failing that, that a forged "ok" is believed)
# expect: fail
# Replies are read with torch.load(weights_only=True): no code runs on the trusted side, and a
# reply that is not plain data fails the call. The marker file is written only if the payload
# ran inside the grader.
import io
import os
import socket
import stat
import struct

import torch

MARKER = "{{MARKER}}"


class Payload:
    def __reduce__(self):
        code = f"import sys\nif 'grader.engine' in sys.modules: open({MARKER!r}, 'w').write('ran')"
        return (exec, (code,))


def _sockets():
    for name in os.listdir("/proc/self/fd"):
        try:
            if stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                yield int(name)
        except OSError:
            pass


def make_weights(values):
    buf = io.BytesIO()
    torch.save({"ok": True, "value": Payload()}, buf)
    data = buf.getvalue()
    for fd in _sockets():
        s = socket.socket(fileno=os.dup(fd))
        s.sendall(struct.pack(">I", len(data)) + data)
    return torch.zeros(len(values))


grad_of_squares = make_weights
