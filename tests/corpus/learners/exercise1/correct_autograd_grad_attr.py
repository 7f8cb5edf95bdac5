# corpus: exercise1
# verdict: pass
# cause: none
# note: sets w.requires_grad = True as an attribute and gets the gradient with torch.autograd.grad instead of backward()
import torch


def make_weights(values):
    weights = torch.as_tensor(values, dtype=torch.float32).clone()
    weights.requires_grad = True
    return weights


def grad_of_squares(values):
    w = make_weights(values)
    loss = torch.sum(w * w)
    (g,) = torch.autograd.grad(loss, w)
    return g
