"""Exercise 14: memory: gradient checkpointing on a deep stack.

To run backward, autograd keeps the intermediate values of the forward pass that each
operation's derivative needs. For a deep network that memory grows with depth, and it is
often what limits the batch or the model size. Gradient checkpointing keeps only the values
at the boundaries of a few segments and, during backward, runs each segment's forward again
to get the rest back: less memory for one extra forward pass, and exactly the same gradients.

Block, build_stack() and FORWARD_CALLS below are given: don't change them. Each block counts
its forward calls in FORWARD_CALLS, so the tests can see what ran again.

Your task (keep the function name and arguments):

stack_gradients(weights, biases, x, segments) -> list[Tensor]
    Build the stack with build_stack(weights, biases). Run x through it in `segments`
    checkpointed segments with torch.utils.checkpoint.checkpoint_sequential (pass
    use_reentrant=False), take loss = output.pow(2).mean(), call backward() and return
    every block's weight gradient, first block first. x does not require grad.

Check your work with:  grade exercise14
"""

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
    # TODO: a plain forward pass keeps every block's intermediate values until backward.
    # Run the stack in `segments` checkpointed segments instead (checkpoint_sequential).
    out = stack(x)
    out.pow(2).mean().backward()
    return [block.linear.weight.grad for block in stack]
