# corpus: exercise14
# verdict: fail
# cause: graph-broken
# note: checkpoints each segment by hand and detaches the boundary tensor between segments ('only boundaries are stored'), which cuts the graph: only the last segment's blocks get gradients
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


from torch.utils.checkpoint import checkpoint


def stack_gradients(weights, biases, x, segments):
    stack = build_stack(weights, biases)
    blocks = list(stack)
    size = (len(blocks) + segments - 1) // segments
    h = x
    for start in range(0, len(blocks), size):
        segment = nn.Sequential(*blocks[start:start + size])
        # keep only the boundary: detach it from the previous segment
        h = h.detach().requires_grad_(True)
        h = checkpoint(segment, h, use_reentrant=False)
    h.pow(2).mean().backward()
    return [block.linear.weight.grad for block in stack]
