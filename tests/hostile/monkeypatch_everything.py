# attack: monkeypatches torch (allclose, isclose, equal, testing), builtins and pytest to pass
# expect: fail
# The patches live in the worker process only; the hidden tests and their checks run in the
# trusted process, which never imports this file.
import builtins

import torch

torch.allclose = lambda *a, **k: True
torch.isclose = lambda a, b, *r, **k: torch.ones_like(a, dtype=torch.bool)
torch.equal = lambda *a, **k: True
torch.Tensor.__eq__ = lambda self, other: True
torch.testing.assert_close = lambda *a, **k: None
builtins.isinstance = lambda obj, cls: True
builtins.AssertionError = type("NeverRaised", (Exception,), {})
try:
    import pytest

    pytest.fail = lambda *a, **k: None
    pytest.approx = lambda expected, *a, **k: type("Any", (), {"__eq__": lambda s, o: True})()
except ImportError:
    pass


def make_weights(values):
    return torch.zeros(len(values))


def grad_of_squares(values):
    return torch.zeros(len(values))
