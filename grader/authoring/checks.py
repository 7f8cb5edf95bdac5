"""Helpers for hidden tests: checks that explain themselves.

A hidden test receives the student's module through the `student` fixture (every call runs in
the sandboxed worker) and compares what comes back with these helpers. Failures raise
`Mismatch`, whose message is shown to the student: shape and dtype before values, expected vs
received. A `signal` names the autograd mistake for the diagnosis rules (grader/diagnose).

    @points(2)
    def test_gradient(student, rng):
        x = torch.randn(5, generator=rng)
        grad = student.gradient_of(x)
        expect_tensor(grad, 3 * x**2, name="gradient_of(x)", none_signal="grad-is-none")
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch

from grader.sandbox.values import RemoteObject


def points(n: float):
    """How many points a hidden test is worth (default 1)."""
    return pytest.mark.points(n)


class Mismatch(AssertionError):
    """A hidden check failed. The message is for the student; `signal` feeds the diagnosis."""

    def __init__(self, message: str, signal: str | None = None):
        super().__init__(message)
        self.signal = signal


def describe(value: Any) -> str:
    """A short, safe description of a value that came back from the student's code."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {dtype_name(value.dtype)}"
    if isinstance(value, RemoteObject):
        return f"a {value.short_type} object"
    if value is None:
        return "None"
    text = repr(value)
    return f"{type(value).__name__} {text[:80]}{'…' if len(text) > 80 else ''}"


def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).replace("torch.", "")


def preview(t: torch.Tensor, n: int = 6) -> str:
    flat = t.detach().reshape(-1)
    items = ", ".join(_fmt(v) for v in flat[:n].tolist())
    more = f", … ({flat.numel()} values)" if flat.numel() > n else ""
    return f"[{items}{more}]"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def expect_tensor(
    received: Any,
    expected: torch.Tensor | None = None,
    *,
    name: str,
    shape: tuple | None = None,
    dtype: torch.dtype | None = None,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    none_signal: str | None = None,
    value_signal: str | None = None,
) -> torch.Tensor:
    """Check type, then shape, then dtype, then values — and say exactly what differed."""
    if received is None:
        raise Mismatch(f"{name}: expected a tensor, received None", signal=none_signal)
    if not isinstance(received, torch.Tensor):
        raise Mismatch(f"{name}: expected a tensor, received {describe(received)}")
    want_shape = tuple(shape) if shape is not None else (tuple(expected.shape) if expected is not None else None)
    if want_shape is not None and tuple(received.shape) != want_shape:
        raise Mismatch(f"{name}: expected shape {want_shape}, received shape {tuple(received.shape)}")
    want_dtype = dtype if dtype is not None else (expected.dtype if expected is not None else None)
    if want_dtype is not None and received.dtype != want_dtype:
        raise Mismatch(f"{name}: expected dtype {dtype_name(want_dtype)}, received dtype {dtype_name(received.dtype)}")
    if expected is not None:
        got = received.detach().to(torch.float64)
        want = expected.detach().to(torch.float64)
        if not torch.isfinite(got).all() and torch.isfinite(want).all():
            bad = int((~torch.isfinite(got)).sum())
            raise Mismatch(f"{name}: {bad} value(s) are NaN or infinite\n  expected {preview(want)}\n"
                           f"  received {preview(got)}", signal=value_signal)
        close = torch.isclose(got, want, atol=atol, rtol=rtol)
        if not bool(close.all()):
            diff = (got - want).abs()
            worst = int(diff.reshape(-1).argmax())
            index = tuple(int(i) for i in torch.unravel_index(torch.tensor(worst), got.shape)) if got.dim() else ()
            raise Mismatch(
                f"{name}: values differ at {int((~close).sum())} of {close.numel()} positions\n"
                f"  expected {preview(want)}\n"
                f"  received {preview(got)}\n"
                f"  largest difference {float(diff.reshape(-1)[worst]):.4g} at index {index}",
                signal=value_signal,
            )
    return received


def expect_number(received: Any, expected: float, *, name: str, tol: float = 1e-5,
                  rel: float = 1e-4, signal: str | None = None) -> float:
    """A plain Python number (or a one-element tensor) close to `expected`."""
    if isinstance(received, torch.Tensor) and received.numel() == 1:
        received = float(received.detach())
    if type(received) not in (int, float):
        raise Mismatch(f"{name}: expected a number, received {describe(received)}")
    value = float(received)
    if not math.isfinite(value) or abs(value - expected) > tol + rel * abs(expected):
        raise Mismatch(f"{name}: expected {expected:.6g}, received {value:.6g}", signal=signal)
    return value


def expect_requires_grad(t: torch.Tensor, *, name: str) -> None:
    if not t.requires_grad:
        raise Mismatch(
            f"{name}: expected a tensor that autograd tracks (requires_grad=True), "
            "received one with requires_grad=False",
            signal="missing-requires-grad",
        )


def expect_leaf(t: torch.Tensor, *, name: str) -> None:
    meta = getattr(t, "student_meta", {})
    if not meta.get("is_leaf", True):
        raise Mismatch(
            f"{name}: expected a leaf tensor (created directly, not computed from another tensor); "
            f"received the output of {meta.get('grad_fn') or 'an operation'}"
        )


def expect_grad(t: Any, expected: torch.Tensor, *, name: str, accumulation_factor_check: bool = False) -> None:
    """Check a gradient; explain None (backward never ran). With accumulation_factor_check (for
    tests where several backward() calls into one .grad are a likely mistake), a whole multiple
    k ≥ 2 of the answer is reported as such, with the signal grad-accumulation."""
    if t is None:
        raise Mismatch(f"{name}: expected a gradient tensor, received None "
                       "(the gradient is None until backward() runs)", signal="grad-is-none")
    try:
        expect_tensor(t, expected.to(t.dtype) if isinstance(t, torch.Tensor) else expected, name=name)
    except Mismatch as exc:
        k = accumulation_factor(t, expected) if accumulation_factor_check and isinstance(t, torch.Tensor) \
            and t.shape == expected.shape and exc.signal is None else None
        if k is None:
            raise
        raise Mismatch(f"{name}: received {k}× the expected gradient (did backward() run {k} times, "
                       f"adding into the same .grad?)\n  expected {preview(expected)}\n  received {preview(t)}",
                       signal="grad-accumulation") from None


def accumulation_factor(received: torch.Tensor, expected: torch.Tensor) -> float | None:
    """If `received` is k× `expected` for an integer k ≥ 2, return k: gradients accumulated."""
    want = expected.detach().double().reshape(-1)
    got = received.detach().double().reshape(-1)
    if want.abs().max() < 1e-8 or got.shape != want.shape:
        return None
    mask = want.abs() > 1e-6
    ratios = got[mask] / want[mask]
    k = float(ratios.mean())
    if k >= 1.5 and float((ratios - round(k)).abs().max()) < 1e-3:
        return round(k)
    return None


# -- randomized inputs: different for every seed, so a hard-coded answer fails ----------------

def random_values(rng: torch.Generator, low: int = 3, high: int = 8, scale: float = 2.0) -> list[float]:
    """A list of `low`..`high` floats in [-scale, scale], none closer to zero than 0.1."""
    n = int(torch.randint(low, high + 1, (1,), generator=rng))
    values = (torch.rand(n, generator=rng) * 2 - 1) * scale
    # Away from zero, so a gradient with the wrong sign or scale can't pass by luck.
    values = torch.where(values.abs() < 0.1, values.sign() * 0.1 + values, values)
    return [round(float(v), 4) for v in values]


def random_scalar(rng: torch.Generator, low: float = 0.5, high: float = 3.0) -> float:
    return round(float(torch.rand(1, generator=rng) * (high - low) + low), 4)
