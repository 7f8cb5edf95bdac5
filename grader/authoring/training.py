"""Trusted helpers for the course's training exercises, used by their hidden tests.

A training exercise's student file defines ``make_model()``, ``make_optimizer(model)`` and
``train_step(model, optimizer, x, y)``. The hidden test, not the student, owns the loop: it
picks the data, the batches and the number of epochs. After every epoch it copies the model's
parameters into a trusted network of the same shape (a `Mirror`) and measures that network on
held-out points whose labels never leave this process. The only thing student code decides is
how the parameters move, so neither the per-epoch trace nor the targets can be faked.

Everything the worker reports about a model (``.info``, the ``state_dict``) is advisory; the
mirror is trusted only after it reproduces the student's own forward pass on probe inputs.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Callable

import torch
import torch.nn.functional as F

from grader.course.manifest import Target
from grader.sandbox.values import RemoteObject
from grader.authoring.checks import Mismatch, describe, expect_tensor

# Hidden-layer activations a mirror may use; a student's network must match one of them.
ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "ReLU": torch.relu,
    "Tanh": torch.tanh,
    "Sigmoid": torch.sigmoid,
    "LeakyReLU": lambda t: F.leaky_relu(t, 0.01),
    "ELU": F.elu,
    "GELU": F.gelu,
    "SiLU": F.silu,
    "Softplus": F.softplus,
    "Identity": lambda t: t,
}
OUTPUTS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {"Sigmoid": torch.sigmoid}


def expect_module(value: Any, *, name: str) -> RemoteObject:
    if not isinstance(value, RemoteObject) or "parameters" not in value.info:
        raise Mismatch(f"{name}: expected a torch.nn.Module (e.g. nn.Linear(1, 1) or an nn.Sequential), "
                       f"received {describe(value)}")
    return value


def expect_optimizer(value: Any, *, name: str) -> RemoteObject:
    if not isinstance(value, RemoteObject) or "optimizer" not in value.info:
        raise Mismatch(f"{name}: expected a torch.optim optimizer (e.g. torch.optim.SGD(model.parameters(), "
                       f"lr=0.1)), received {describe(value)}")
    return value


def parameters_of(model: RemoteObject) -> dict[str, torch.Tensor]:
    """The model's state_dict as plain tensors (copied out of the worker)."""
    state = model.call_method("state_dict")
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise Mismatch(f"model.state_dict() should give parameter tensors by name, received {describe(state)}")
    return {k: v.detach().float() for k, v in state.items()}


def architecture(in_features: int, hidden_layers: int, out_features: int, output: str | None) -> str:
    parts = [f"Linear({in_features}, …)"]
    parts += ["activation", "Linear(…)"] * hidden_layers
    if hidden_layers:
        parts[-1] = f"Linear(…, {out_features})"
    else:
        parts[0] = f"Linear({in_features}, {out_features})"
    if output:
        parts.append(output)
    return " → ".join(parts)


def _layer_summary(model: RemoteObject) -> str:
    modules = model.info.get("modules") or []
    kinds = [kind for _name, kind in modules if kind not in ("Sequential", "ModuleList")]
    return ", ".join(kinds) if kinds else "no sub-layers reported"


def _linear_layers(state: dict[str, torch.Tensor]) -> list[tuple[str, str | None]]:
    """(weight key, bias key) pairs in state_dict order: a 2-D tensor, then its 1-D bias."""
    layers: list[list] = []
    for key, t in state.items():
        if t.dim() == 2:
            layers.append([key, None])
        elif t.dim() == 1 and layers and layers[-1][1] is None and state[layers[-1][0]].shape[0] == t.shape[0]:
            layers[-1][1] = key
        else:
            raise Mismatch(f"the model has a parameter '{key}' of shape {tuple(t.shape)} that is not part of a "
                           "Linear layer; use only nn.Linear layers and activations", signal="architecture-mismatch")
    return [(w, b) for w, b in layers]


@dataclass
class Mirror:
    """A trusted copy of a student's fully connected network: Linear layers and activations."""

    keys: list[tuple[str, str | None]]  # (weight, bias) state_dict keys, input layer first
    activations: tuple[str, ...]
    output: str | None
    state: dict[str, torch.Tensor]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        h = x.float()
        for i, (wk, bk) in enumerate(self.keys):
            h = F.linear(h, self.state[wk], self.state[bk] if bk else None)
            if i < len(self.activations):
                h = ACTIVATIONS[self.activations[i]](h)
        return OUTPUTS[self.output](h) if self.output else h

    def weights(self) -> list[torch.Tensor]:
        return [self.state[wk] for wk, _ in self.keys]

    def biases(self) -> list[torch.Tensor | None]:
        return [self.state[bk] if bk else None for _, bk in self.keys]

    def with_state(self, state: dict[str, torch.Tensor]) -> "Mirror":
        for wk, bk in self.keys:
            for key in (wk, bk):
                if key and (key not in state or state[key].shape != self.state[key].shape):
                    raise Mismatch(f"the model's parameter '{key}' disappeared or changed shape during training",
                                   signal="architecture-mismatch")
        return Mirror(self.keys, self.activations, self.output, state)


def mirror(model: RemoteObject, *, in_features: int, hidden_layers: int, out_features: int = 1,
           output: str | None = None, probe: torch.Tensor, name: str = "make_model()") -> Mirror:
    """Copy the student's network here, and prove the copy computes what the student's model computes."""
    wanted = architecture(in_features, hidden_layers, out_features, output)
    state = parameters_of(model)
    layers = _linear_layers(state)
    ordered: list[tuple[str, str | None]] = []
    width, unused = in_features, list(layers)
    while unused:
        nxt = next((pair for pair in unused if state[pair[0]].shape[1] == width), None)
        if nxt is None:
            break
        ordered.append(nxt)
        unused.remove(nxt)
        width = state[nxt[0]].shape[0]
    shapes = [tuple(state[w].shape) for w, _ in layers]
    if unused or len(ordered) != hidden_layers + 1 or width != out_features:
        hidden = "no hidden layer" if hidden_layers == 0 else f"{hidden_layers} hidden layer(s)"
        raise Mismatch(
            f"{name}: expected {hidden}, that is {hidden_layers + 1} Linear layer(s): {wanted}; "
            f"received Linear weights of shapes {shapes or 'none'} (layers: {_layer_summary(model)})",
            signal="architecture-mismatch")
    received = expect_tensor(model(probe), shape=(probe.shape[0], out_features), name=f"{name}'s model(x)")
    received = received.detach().float()
    for combo in itertools.product(ACTIVATIONS, repeat=hidden_layers):
        candidate = Mirror(ordered, combo, output, state)
        if torch.allclose(candidate(probe), received, atol=1e-4, rtol=1e-3):
            return candidate
        if output and torch.allclose(Mirror(ordered, combo, None, state)(probe), received, atol=1e-4, rtol=1e-3):
            raise Mismatch(f"{name}: the outputs are the raw scores of the last Linear layer, with no final "
                           f"{output}: expected {wanted}", signal=f"missing-{output.lower()}")
    raise Mismatch(
        f"{name}: the model's outputs are not those of {wanted} computed from its own parameters "
        f"(layers: {_layer_summary(model)}). Use nn.Linear layers with one of "
        f"{', '.join(a for a in ACTIVATIONS if a != 'Identity')} between them"
        + (f", and {output} at the end" if output else "")
        + ", and nothing else in forward().",
        signal="architecture-mismatch")


def confirm(model: RemoteObject, net: Mirror, probe: torch.Tensor, name: str = "the trained model") -> None:
    """After training, the trusted copy must still compute exactly what the student's model computes."""
    received = expect_tensor(model(probe), shape=tuple(net(probe).shape), name=f"{name}(x)").detach().float()
    if not torch.allclose(net(probe), received, atol=1e-4, rtol=1e-3):
        raise Mismatch(f"{name}: its outputs no longer match its own parameters; forward() must compute "
                       "the network from its layers and nothing else", signal="architecture-mismatch")


# -- data the grader keeps -------------------------------------------------------------------------

def spread(rng: torch.Generator, n: int, low: float, high: float) -> torch.Tensor:
    """n points covering [low, high] evenly but at random: one uniform draw in each of n equal
    slices, in shuffled order.

    Independent uniform draws sometimes bunch up on one side; a line fit on such points is badly
    conditioned (its slope and intercept pull against each other), and a correct training loop
    then misses a target within the grader's fixed number of steps by bad luck. Stratified points
    keep every attempt random without that failure mode.
    """
    width = (high - low) / n
    points = low + (torch.arange(n, dtype=torch.float32) + torch.rand(n, generator=rng)) * width
    return points[torch.randperm(n, generator=rng)]


def noisy_line(rng: torch.Generator, noise: float = 0.1):
    """The experiment's data (seed 002): y = a·x + c + noise on [-1, 1], 100 training points and
    200 held-out ones, with (a, c) drawn per attempt well away from the lesson's (2, 1)."""
    while True:
        a = float(torch.rand(1, generator=rng) * 2 + 1) * (1 if torch.rand(1, generator=rng) < 0.5 else -1)
        c = float(torch.rand(1, generator=rng) * 3 - 1.5)
        if abs(a - 2) + abs(c - 1) > 0.6:
            break
    x = torch.linspace(-1, 1, 100).unsqueeze(1)
    y = a * x + c + noise * torch.randn(x.shape, generator=rng)
    x_held = torch.rand(200, 1, generator=rng) * 2 - 1
    y_held = a * x_held + c + noise * torch.randn(x_held.shape, generator=rng)
    return x, y, x_held, y_held


# -- metrics, computed here on held-out data --------------------------------------------------------

def regression_metrics(pred: torch.Tensor, y: torch.Tensor, tolerance: float) -> tuple[float, float]:
    """Mean squared error, and the share of predictions within `tolerance` of the label."""
    err = pred.detach().reshape(-1) - y.reshape(-1)
    return float((err ** 2).mean()), float((err.abs() < tolerance).float().mean())


def classification_metrics(prob: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Binary cross-entropy of predicted probabilities, and the share classified right at 0.5."""
    p = prob.detach().reshape(-1).clamp(1e-7, 1 - 1e-7)
    labels = y.reshape(-1).float()
    return float(F.binary_cross_entropy(p, labels)), float(((p > 0.5).float() == labels).float().mean())


def observe(prev: float | None, loss: float, accuracy: float | None, targets: dict[str, Target],
            prev_met: bool) -> tuple[str, bool]:
    """A short observation on one epoch, like the lesson's training trace; also whether targets hold."""
    if not math.isfinite(loss):
        return "loss is NaN or infinite: the updates diverged", False
    observed = {"loss": loss, "accuracy": accuracy}
    relevant = {k: t for k, t in targets.items() if k in observed and observed[k] is not None}
    met = bool(relevant) and all(t.met(observed[k]) for k, t in relevant.items())
    if prev is None:
        return ("targets already met after one epoch" if met else "first epoch: learning starts"), met
    change = (loss - prev) / max(abs(prev), 1e-12)
    if met and not prev_met:
        return "targets reached", met
    if met:  # small wobbles around a good fit are batch noise, not a problem
        return ("loss still falling; targets hold" if change < -0.03 else "converged: targets hold"), met
    if change > 0.05:
        return "loss rose: the steps may be too large", met
    if change < -0.3:
        return "loss falls fast: the gradients point downhill", met
    if change < -0.02:
        return "loss keeps falling", met
    return "loss flat: stuck, or the steps are too small", met


# -- the loop the grader owns -------------------------------------------------------------------------

def one_epoch(student, model: RemoteObject, optimizer: RemoteObject, x: torch.Tensor, y: torch.Tensor,
              *, batch_size: int, rng: torch.Generator) -> list[Any]:
    """One pass over (x, y) in shuffled mini-batches: one train_step call per batch, all sent to
    the worker in one request (a round trip per batch cost more than the step itself)."""
    order = torch.randperm(x.shape[0], generator=rng)
    return student.train_step.each([((model, optimizer, x[idx], y[idx]), {}) for idx in order.split(batch_size)])


def train(student, model: RemoteObject, optimizer: RemoteObject, net: Mirror, x: torch.Tensor,
          y: torch.Tensor, *, epochs: int, batch_size: int, rng: torch.Generator,
          evaluate: Callable[[Mirror], tuple[float, float | None]], targets: dict[str, Target],
          record=None, every_epoch: bool = True) -> tuple[Mirror, list[dict]]:
    """Drive `epochs` epochs; after each, evaluate a trusted copy of the model (and trace it).

    With every_epoch=False only the first and last epochs are measured (a check without a trace).
    """
    rows: list[dict] = []
    prev, prev_met = None, False
    start = net.state
    for epoch in range(1, epochs + 1):
        one_epoch(student, model, optimizer, x, y, batch_size=batch_size, rng=rng)
        if not (every_epoch or epoch in (1, epochs)):
            continue
        net = net.with_state(parameters_of(model))
        if epoch == 1 and all(torch.equal(start[k], net.state[k]) for k in start):
            raise Mismatch("after a whole epoch of train_step calls every parameter is exactly as it "
                           "started: nothing updated the model", signal="no-update")
        loss, accuracy = evaluate(net)
        note, prev_met = observe(prev, loss, accuracy, targets, prev_met)
        rows.append({"epoch": epoch, "loss": loss, "accuracy": accuracy, "note": note})
        if record is not None:
            record.trace(epoch, loss, accuracy, note)
        prev = loss
        if not math.isfinite(loss):
            break
    return net, rows
