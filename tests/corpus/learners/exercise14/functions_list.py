# corpus: exercise14
# verdict: pass
# cause: none
# note: passes list(stack.children()) to checkpoint_sequential (it accepts a list of modules too), and an input that does require grad (a detached copy of x)
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
    blocks = list(stack.children())
    inp = x.detach().clone().requires_grad_(True)  # doesn't hurt with use_reentrant=False
    out = checkpoint_sequential(blocks, segments, inp, use_reentrant=False)
    out.pow(2).mean().backward()
    result = []
    for blk in blocks:
        result.append(blk.linear.weight.grad)
    return result
