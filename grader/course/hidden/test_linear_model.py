"""Hidden tests for exercise 9 (linear-model)."""

import torch

from grader.authoring import Mismatch, points
from grader.authoring.training import expect_module, expect_optimizer, mirror, regression_metrics, spread, train

EPOCHS, POINTS, TOLERANCE, CLOSE = 40, 20, 0.1, 0.05


def learn(student, rng, a: float, c: float, record=None, targets=None):
    """Train the student's model on y = a·x + c; return (w, b) and the fresh-point loss."""
    # Spread across [-2, 2] (stratified): independent draws that bunch up on one side make the
    # fit badly conditioned, and a correct loop could miss w and b within 40 epochs by bad luck.
    x = spread(rng, POINTS, -2.0, 2.0).unsqueeze(1)
    y = a * x + c
    x_fresh = torch.rand(200, 1, generator=rng) * 4 - 2
    y_fresh = a * x_fresh + c
    model = expect_module(student.make_model(), name="make_model()")
    net = mirror(model, in_features=1, hidden_layers=0, probe=x_fresh[:8], name="make_model()")
    optimizer = expect_optimizer(student.make_optimizer(model), name="make_optimizer(model)")
    net, rows = train(student, model, optimizer, net, x, y, epochs=EPOCHS, batch_size=POINTS, rng=rng,
                      evaluate=lambda n: regression_metrics(n(x_fresh), y_fresh, TOLERANCE),
                      targets=targets or {}, record=record, every_epoch=record is not None)
    bias = net.biases()[0]
    w, b = float(net.weights()[0].reshape(-1)[0]), 0.0 if bias is None else float(bias.reshape(-1)[0])
    return w, b, rows[-1]["loss"]


def expect_line(w: float, b: float, a: float, c: float, what: str) -> None:
    if not (abs(w - a) < CLOSE and abs(b - c) < CLOSE):
        raise Mismatch(f"after {EPOCHS} epochs on {what}, expected w ≈ {a:g} and b ≈ {c:g} (within {CLOSE}), "
                       f"received w = {w:.4g} and b = {b:.4g}")


@points(3)
def test_learns_y_equals_2x_plus_1(student, rng, record, exercise):
    w, b, loss = learn(student, rng, 2.0, 1.0, record=record, targets=exercise.targets)
    expect_line(w, b, 2.0, 1.0, "y = 2x + 1")
    record.targets(loss=loss)


@points(2)
def test_learns_a_line_it_was_not_told(student, rng):
    while True:
        a = round(float(torch.rand(1, generator=rng) * 5 - 2.5), 2)
        c = round(float(torch.rand(1, generator=rng) * 4 - 2), 2)
        if abs(a - 2) + abs(c - 1) > 0.5 and abs(a) > 0.3:
            break
    w, b, _ = learn(student, rng, a, c)
    expect_line(w, b, a, c, f"y = {a:g}x + {c:g}")
