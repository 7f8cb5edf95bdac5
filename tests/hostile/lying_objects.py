# attack: returns objects whose __eq__, __bool__, __float__, __len__, __getattr__ all lie
# expect: fail
# Only plain data crosses the boundary: the object stays in the worker as an opaque handle, and
# the checks see "a Liar object", not a tensor.
import torch


class Liar:
    requires_grad = True
    is_leaf = True
    shape = (3,)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    def __float__(self):
        return 0.0

    def __len__(self):
        return 3

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter([0.0, 0.0, 0.0])

    def __reduce__(self):
        return (print, ("unpickled on the grader side",))


def make_weights(values):
    return Liar()


def grad_of_squares(values):
    return Liar()
