# corpus: exercise1
# verdict: pass
# cause: none
# note: creates the float32 tensor first, then switches tracking on in place with requires_grad_() (still a leaf), plus debug prints
import torch


def make_weights(values):
    w = torch.tensor(values, dtype=torch.float32)
    w.requires_grad_()
    print("is leaf?", w.is_leaf, "requires grad?", w.requires_grad)
    return w


def grad_of_squares(values):
    w = make_weights(values)
    loss = (w ** 2).sum()
    loss.backward()
    print("loss =", loss.item(), "grad =", w.grad)
    return w.grad
