# corpus: exercise14
# verdict: pass
# cause: none
# note: checkpoint_sequential as asked, with debug prints of FORWARD_CALLS before and after backward and the gradients cloned before returning
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
    before = FORWARD_CALLS
    output = checkpoint_sequential(stack, segments, x, use_reentrant=False)
    after_forward = FORWARD_CALLS
    loss = output.pow(2).mean()
    loss.backward()
    # backward should have re-run the checkpointed segments
    print(f"forward calls: {after_forward - before} in forward, {FORWARD_CALLS - after_forward} in backward")
    return [b.linear.weight.grad.clone() for b in stack]
