# corpus: exercise2
# verdict: pass
# cause: none
# note: keeps += but on a clone of exp's output (the saved tensor stays intact), and uses a separate tensor for the bump
import torch


def shifted_exp_grad(values, shift):
    x = torch.tensor(values, requires_grad=True)
    y = torch.exp(x).clone()  # clone -> exp's saved result is not overwritten
    y += shift
    y.sum().backward()
    return x.grad


def bumped_square_grad(values, bump):
    x = torch.tensor(values, requires_grad=True)
    z = x.clone()
    z += bump           # in-place on the copy, x (the leaf) is untouched
    loss = (z ** 2).sum()
    loss.backward()
    return x.grad       # the leaf, not z
