# corpus: exercise14
# verdict: fail
# cause: no-grad-misuse
# note: runs the checkpointed forward inside torch.no_grad() to save even more memory; no graph is recorded, so backward() raises
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
    # checkpointing is about memory, so don't store anything at all
    with torch.no_grad():
        out = checkpoint_sequential(stack, segments, x, use_reentrant=False)
    out.pow(2).mean().backward()
    return [block.linear.weight.grad for block in stack]
