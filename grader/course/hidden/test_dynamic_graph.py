"""Hidden tests for exercise 7 (dynamic-graph)."""

import torch

from grader.authoring import Mismatch, expect_number, expect_tensor, points, preview

LIMIT, MAX_STEPS = 2.0, 5


def trusted_forward(x, w):
    """The task's function, also reporting its path (branches and loop trips)."""
    total = torch.zeros((), dtype=x.dtype)
    for xi in x:
        total = total + (w * xi ** 2 if xi > 0 else torch.sin(w * xi))
    steps, margins = 0, [abs(abs(float(total)) - LIMIT)]
    while total.abs() < LIMIT and steps < MAX_STEPS:
        total = 2 * total + w
        steps += 1
        margins.append(abs(abs(float(total)) - LIMIT))
    return total, steps, min(margins)


def case(rng, kind: str):
    """Inputs whose path is unambiguous: no running total near the loop's threshold."""
    while True:
        n = int(torch.randint(3, 7, (1,), generator=rng))
        x = (torch.rand(n, generator=rng) * 1.8 + 0.1) * torch.where(torch.rand(n, generator=rng) < 0.5, -1.0, 1.0)
        if kind == "positive":
            x = x.abs()
        elif kind == "negative":
            x = -x.abs()
        x = x * float(torch.rand(1, generator=rng) * 0.8 + 0.2)
        x = torch.where(x.abs() < 0.1, x.sign() * 0.1 + x, x).round(decimals=4)
        w = round(float(torch.rand(1, generator=rng) * 1.6 - 0.8), 4)
        if abs(w) < 0.1:
            continue
        _, steps, margin = trusted_forward(x.double(), torch.tensor(w, dtype=torch.float64))
        if margin > 1e-2:
            return x, w


def path(x, w) -> str:
    _, steps, _ = trusted_forward(x.double(), torch.tensor(w, dtype=torch.float64))
    pos = int((x > 0).sum())
    return f"{pos} element(s) took the xi > 0 branch, {x.numel() - pos} the other; the loop ran {steps} time(s)"


@points(1)
def test_forward_follows_the_data(student, rng):
    for kind in ("mixed", "negative", "positive"):
        x, w = case(rng, kind)
        expected, _, _ = trusted_forward(x.double(), torch.tensor(w, dtype=torch.float64))
        got = student.dynamic_forward(x, torch.tensor(w))
        try:
            expect_number(got, float(expected), name=f"dynamic_forward({preview(x)}, w={w})", tol=1e-4, rel=1e-4)
        except Mismatch as exc:
            raise Mismatch(f"{exc} ({path(x, w)})") from None


@points(3)
def test_gradients_through_branches_and_loops(student, rng):
    for kind in ("mixed", "positive", "negative"):
        x, w = case(rng, kind)
        tx = x.double().requires_grad_(True)
        tw = torch.tensor(w, dtype=torch.float64, requires_grad=True)
        trusted_forward(tx, tw)[0].backward()
        name = f"dynamic_grad({preview(x)}, w={w}) [{path(x, w)}]"
        got = student.dynamic_grad(x, w)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise Mismatch(f"{name}: expected a pair (grad_x, grad_w), received {type(got).__name__}")
        grad_x, grad_w = got
        for label, g, want in (("grad_x", grad_x, tx.grad), ("grad_w", grad_w, tw.grad)):
            if g is None or (isinstance(g, torch.Tensor) and g.shape == want.shape and bool(
                    ((g == 0) & (want.abs() > 1e-6)).any())):
                raise Mismatch(f"{name}: {label} is {'None' if g is None else preview(g)} where autograd "
                               f"should give {preview(want)}: part of the computation never reached the graph",
                               signal="graph-broken")
            expect_tensor(g, want.float(), name=f"{name}: {label}", atol=1e-4, rtol=1e-4)
