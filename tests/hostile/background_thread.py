# attack: starts a busy thread at import that never ends, and answers wrongly
# expect: fail
# The calls still answer (the thread only steals CPU time); the session kills it at the end.
import threading

import torch


def _spin():
    while True:
        pass


threading.Thread(target=_spin, daemon=False).start()


def make_weights(values):
    return torch.tensor(values)


grad_of_squares = make_weights
