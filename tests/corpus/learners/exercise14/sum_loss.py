# corpus: exercise14
# verdict: fail
# cause: wrong-reduction
# note: takes loss = output.pow(2).sum() instead of .mean(), so every gradient comes out batch-size times width too large
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint_sequential

FORWARD_CALLS = 0


class Block(nn.Module):
    """A residual block: h + tanh(linear(h)) (given)."""

    def __init__(self, width):
        super().__init__()
        self.linear = nn.Linear(width, width)

    def forward(self, h):
        global FORWARD_CALLS
        FORWARD_CALLS += 1
        return h + torch.tanh(self.linear(h))


def build_stack(weights, biases):
    """An nn.Sequential of blocks holding the given weights (given)."""
    blocks = []
    for w, b in zip(weights, biases):
        block = Block(w.shape[0])
        with torch.no_grad():
            block.linear.weight.copy_(w)
            block.linear.bias.copy_(b)
        blocks.append(block)
    return nn.Sequential(*blocks)



def stack_gradients(weights, biases, x, segments):
    stack = build_stack(weights, biases)
    out = checkpoint_sequential(stack, segments, x, use_reentrant=False)
    loss = (out ** 2).sum()
    loss.backward()
    return [block.linear.weight.grad for block in stack]
