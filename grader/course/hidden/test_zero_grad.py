"""Hidden tests for exercise 8 (zero-grad)."""

import math

import torch

from grader.authoring import Mismatch, describe, points
from grader.authoring.training import observe, regression_metrics, spread

TOLERANCE = 0.25  # accuracy in the trace: share of held-out points within this of the label


def problem(rng, n_points: int = 16):
    a = float(torch.rand(1, generator=rng) * 2 + 0.5) * (1 if torch.rand(1, generator=rng) < 0.5 else -1)
    c = float(torch.rand(1, generator=rng) * 3 - 1.5)
    x = spread(rng, n_points, -2.0, 2.0)  # stratified: a bunched-up draw would make 30 steps too few
    y = a * x + c + 0.1 * torch.randn(n_points, generator=rng)
    w0, b0 = (round(float(v), 3) for v in torch.rand(2, generator=rng) * 2 - 1)
    return a, c, x, y, w0, b0


def simulate(x, y, w0, b0, lr, steps, *, zero: bool) -> list[tuple[float, float]]:
    """The loop as the task describes it; with zero=False, the accumulating bug.

    The update is torch.optim.SGD's own (plain SGD: param.add_(grad, alpha=-lr)) written out: a
    torch.optim optimizer in this trusted process would import torch._dynamo on first use (~1-1.5 s
    before this exercise's first verdict), which nothing else graded here needs."""
    w = torch.tensor(float(w0), requires_grad=True)
    b = torch.tensor(float(b0), requires_grad=True)
    history = []
    for _ in range(steps):
        if zero:
            w.grad = b.grad = None  # what optimizer.zero_grad() does
        torch.mean((w * x + b - y) ** 2).backward()
        with torch.no_grad():
            for p in (w, b):
                p.add_(p.grad, alpha=-lr)
        history.append((w.item(), b.item()))
    return history


def expect_history(got, steps: int, name: str) -> list[tuple[float, float]]:
    if not isinstance(got, (list, tuple)) or len(got) != steps:
        raise Mismatch(f"{name}: expected a list of {steps} (w, b) pairs, one per step, received {describe(got)}"
                       + (f" with {len(got)} items" if isinstance(got, (list, tuple)) else ""))
    out = []
    for i, pair in enumerate(got, 1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or not all(type(v) in (int, float) for v in pair):
            raise Mismatch(f"{name}: item {i} should be a pair of Python numbers (w.item(), b.item()), "
                           f"received {describe(pair)}")
        out.append((float(pair[0]), float(pair[1])))
    return out


def close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all(abs(p - q) <= 1e-4 + 1e-4 * abs(q) for p, q in zip(a, b))


@points(3)
def test_every_step_uses_only_its_own_gradient(student, rng):
    _, _, x, y, w0, b0 = problem(rng)
    lr, steps = round(float(torch.rand(1, generator=rng) * 0.05 + 0.03), 3), 5
    name = f"fit_line(x, y, w0={w0}, b0={b0}, lr={lr}, steps={steps})"
    got = expect_history(student.fit_line(x, y, w0, b0, lr, steps), steps, name)
    want = simulate(x, y, w0, b0, lr, steps, zero=True)
    piled = simulate(x, y, w0, b0, lr, steps, zero=False)
    for i, (g, e) in enumerate(zip(got, want), 1):
        if close(g, e):
            continue
        if close(g, piled[i - 1]):
            raise Mismatch(f"{name}: after step {i} expected (w, b) = ({e[0]:.5g}, {e[1]:.5g}), received "
                           f"({g[0]:.5g}, {g[1]:.5g}). Step 1 was right; from step 2 on, each update used the "
                           "sum of all gradients so far", signal="grad-accumulation")
        raise Mismatch(f"{name}: after step {i} expected (w, b) = ({e[0]:.5g}, {e[1]:.5g}), "
                       f"received ({g[0]:.5g}, {g[1]:.5g})")


@points(2)
def test_the_fit_reaches_the_line(student, rng, record, exercise):
    a, c, x, y, w0, b0 = problem(rng)
    lr, steps = 0.1, 30
    x_held = torch.rand(100, generator=rng) * 4 - 2
    y_held = a * x_held + c + 0.1 * torch.randn(100, generator=rng)
    name = f"fit_line(x, y, w0={w0}, b0={b0}, lr={lr}, steps={steps})"
    got = expect_history(student.fit_line(x, y, w0, b0, lr, steps), steps, name)
    prev, met = None, False
    for step, (w, b) in enumerate(got, 1):  # the trace: each step's (w, b) measured on held-out points
        loss, accuracy = regression_metrics(w * x_held + b, y_held, TOLERANCE)
        note, met = observe(prev, loss, accuracy, exercise.targets, met)
        record.trace(step, loss, accuracy, note)
        prev = loss
    want = simulate(x, y, w0, b0, lr, steps, zero=True)[-1]
    if not close(got[-1], want):
        raise Mismatch(f"{name}: after {steps} steps expected (w, b) = ({want[0]:.4g}, {want[1]:.4g}), "
                       f"received ({got[-1][0]:.4g}, {got[-1][1]:.4g})"
                       + ("; the updates diverged" if not all(map(math.isfinite, got[-1])) else ""))
    record.targets(loss=prev)
