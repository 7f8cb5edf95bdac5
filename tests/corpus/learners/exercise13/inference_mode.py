# corpus: exercise13
# verdict: pass
# cause: none
# note: torch.inference_mode() for prediction, loss.detach().item() for logging, a helper for one step and an epoch summary print
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_model():
    """Given: two inputs, one hidden layer, one score (a logit) per point."""
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))


def make_optimizer(model):
    """Given."""
    return torch.optim.Adam(model.parameters(), lr=0.05)


def _one_step(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = F.binary_cross_entropy_with_logits(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.detach().item()


def train_epoch(model, optimizer, batches):
    losses = [_one_step(model, optimizer, x, y) for x, y in batches]
    # print(f"epoch mean loss {sum(losses) / len(losses):.4f}")
    return losses


def predict(model, x):
    # inference_mode is like no_grad but even cheaper (read it in the docs)
    with torch.inference_mode():
        probs = torch.sigmoid(model(x))
    return probs
