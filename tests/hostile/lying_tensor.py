# attack: a torch.Tensor subclass whose comparisons and allclose always say "equal"
# expect: fail
# The worker sends back a plain tensor of the real values; comparisons run on the trusted side.
import torch


class AlwaysEqual(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        name = getattr(func, "__name__", "")
        if name in ("eq", "__eq__", "allclose", "isclose", "equal"):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})

    def __eq__(self, other):
        return True


def make_weights(values):
    wrong = torch.zeros(len(values), requires_grad=True)
    return wrong.as_subclass(AlwaysEqual)


def grad_of_squares(values):
    return torch.zeros(len(values)).as_subclass(AlwaysEqual)
