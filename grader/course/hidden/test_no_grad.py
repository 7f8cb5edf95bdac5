"""Hidden tests for exercise 13 (no-grad)."""

import torch
import torch.nn.functional as F

from grader.authoring import Mismatch, describe, expect_tensor, points
from grader.authoring.training import classification_metrics, expect_module, expect_optimizer, mirror, observe, parameters_of

EPOCHS, BATCH = 20, 24


def circle(rng):
    """Points in a square labelled 1 inside a circle whose radius and centre vary per attempt."""
    radius = float(torch.rand(1, generator=rng) * 0.3 + 0.8)
    centre = (torch.rand(2, generator=rng) - 0.5) * 0.4

    def points_(n):
        x = torch.rand(n, 2, generator=rng) * 3 - 1.5
        return x, (((x - centre) ** 2).sum(1, keepdim=True) < radius ** 2).float()

    x, y = points_(240)
    x_held, y_held = points_(300)
    return x, y, x_held, y_held


def batches_of(x, y, rng):
    return [(x[idx], y[idx]) for idx in torch.randperm(x.shape[0], generator=rng).split(BATCH)]


def given_model(student, probe):
    model = expect_module(student.make_model(), name="make_model()")
    return model, mirror(model, in_features=2, hidden_layers=1, probe=probe, name="the given make_model()")


def expect_logged(losses, n: int) -> list[float]:
    name = "train_epoch(model, optimizer, batches)"
    if not isinstance(losses, (list, tuple)) or len(losses) != n:
        raise Mismatch(f"{name}: expected a list of {n} losses, one per batch, received {describe(losses)}")
    for i, value in enumerate(losses, 1):
        if isinstance(value, torch.Tensor):
            meta = getattr(value, "student_meta", {})
            if meta.get("grad_fn") or meta.get("requires_grad"):
                raise Mismatch(f"{name}: loss {i} came back as a tensor still attached to its graph "
                               f"(grad_fn={meta.get('grad_fn')}): keeping it keeps that step's whole graph "
                               "alive. Log loss.item() instead", signal="graph-kept-alive")
            raise Mismatch(f"{name}: loss {i} is a tensor; log plain Python numbers with loss.item()")
        if type(value) not in (int, float):
            raise Mismatch(f"{name}: loss {i} should be a Python number, received {describe(value)}")
    return [float(v) for v in losses]


@points(2)
def test_logged_losses_are_plain_numbers(student, rng):
    x, y, x_held, _ = circle(rng)
    model, net = given_model(student, x_held[:16])
    optimizer = expect_optimizer(student.make_optimizer(model), name="make_optimizer(model)")
    batches = batches_of(x, y, rng)
    first = float(F.binary_cross_entropy_with_logits(net(batches[0][0]), batches[0][1]))
    logged = expect_logged(student.train_epoch(model, optimizer, batches), len(batches))
    if abs(logged[0] - first) > 1e-4 + 1e-4 * abs(first):
        raise Mismatch(f"train_epoch: the first logged loss should be the first batch's loss before any "
                       f"update, {first:.6g}; received {logged[0]:.6g}")


@points(2)
def test_predict_builds_no_graph(student, rng):
    _, _, x_held, _ = circle(rng)
    model, net = given_model(student, x_held[:16])
    before = parameters_of(model)
    probs = student.predict(model, x_held)
    meta = getattr(probs, "student_meta", {})
    if isinstance(probs, torch.Tensor) and (meta.get("grad_fn") or meta.get("requires_grad")):
        raise Mismatch(f"predict(model, x): the probabilities came back attached to a graph "
                       f"(grad_fn={meta.get('grad_fn')}, requires_grad={meta.get('requires_grad')}). "
                       "Evaluate inside `with torch.no_grad():`", signal="graph-kept-alive")
    expect_tensor(probs, torch.sigmoid(net(x_held)), name="predict(model, x)", atol=1e-5)
    after = parameters_of(model)
    if any(not torch.equal(before[k], after.get(k, before[k] + 1)) for k in before):
        raise Mismatch("predict(model, x) changed the model's parameters; evaluation must not train")


@points(2)
def test_training_reaches_the_targets(student, rng, record, exercise):
    x, y, x_held, y_held = circle(rng)
    model, net = given_model(student, x_held[:16])
    optimizer = expect_optimizer(student.make_optimizer(model), name="make_optimizer(model)")
    prev, met = None, False
    for epoch in range(1, EPOCHS + 1):
        student.train_epoch(model, optimizer, batches_of(x, y, rng))
        net = net.with_state(parameters_of(model))
        loss, accuracy = classification_metrics(torch.sigmoid(net(x_held)), y_held)
        note, met = observe(prev, loss, accuracy, exercise.targets, met)
        record.trace(epoch, loss, accuracy, note)
        prev = loss
    record.targets(loss=loss, accuracy=accuracy)
