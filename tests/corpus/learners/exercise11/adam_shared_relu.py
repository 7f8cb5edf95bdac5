# corpus: exercise11
# verdict: pass
# cause: none
# note: one ReLU instance reused in both places (it has no weights), a 16 -> 12 funnel, Adam lr=0.02, nn.MSELoss and a print of the parameter count
import torch
import torch.nn as nn

loss_fn = nn.MSELoss()


def make_model(hidden_layers=1):
    act = nn.ReLU()  # no parameters, so sharing it is fine
    if hidden_layers == 1:
        model = nn.Sequential(nn.Linear(1, 16), act, nn.Linear(16, 1))
    else:
        model = nn.Sequential(nn.Linear(1, 16), act, nn.Linear(16, 12), act, nn.Linear(12, 1))
    print(f"hidden_layers={hidden_layers}: {sum(p.numel() for p in model.parameters())} parameters")
    return model


def make_optimizer(model):
    return torch.optim.Adam(model.parameters(), lr=0.02)


def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
