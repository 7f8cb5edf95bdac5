# corpus: exercise14
# verdict: fail
# cause: checkpoint-no-input-grad
# note: passes use_reentrant=True (thinking 'reentrant' means the forward is re-entered during backward); with an input that does not require grad the checkpointed blocks get no gradients
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
    # reentrant = run the forward again in backward, which is what we want
    out = checkpoint_sequential(stack, segments, x, use_reentrant=True)
    loss = out.pow(2).mean()
    loss.backward()
    grads = []
    for block in stack:
        grads.append(block.linear.weight.grad)
    return grads
