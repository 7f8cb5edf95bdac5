"""Hidden tests for exercise 5 (chain-rule)."""

import ast

import torch

from grader.authoring import Mismatch, describe, points, random_scalar, random_values

AUTOGRAD_NAMES = {"backward", "grad", "requires_grad", "requires_grad_", "autograd", "jacobian", "vjp"}


def inputs(rng):
    x = torch.tensor(random_values(rng, low=5, high=8, scale=1.5))
    t = (torch.rand(x.numel(), generator=rng) * 1.6 - 0.8).round(decimals=3)
    w = random_scalar(rng, 0.3, 1.5) * (1 if torch.rand(1, generator=rng) < 0.5 else -1)
    b = round(float(torch.rand(1, generator=rng) - 0.5), 4)
    return x, t, w, b


def trusted(x, t, w, b, tanh_factor=True):
    s = torch.tanh(w * x.double() + b)
    dL_dh = 2 * (s - t.double()) / x.numel() * ((1 - s ** 2) if tanh_factor else 1)
    return float((dL_dh * x.double()).sum()), float(dL_dh.sum())


def function_names(source: str, function: str) -> set[str]:
    """Attributes and keywords used in one of the student's functions and the file's functions it calls."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    names: set[str] = set()
    todo, seen = [function], set()
    while todo:
        current = todo.pop()
        if current in seen or current not in defs:
            continue
        seen.add(current)
        for sub in ast.walk(defs[current]):
            if isinstance(sub, ast.Attribute):
                names.add(sub.attr)
            elif isinstance(sub, ast.Name):
                todo.append(sub.id)  # follow calls into the file's other functions
            elif isinstance(sub, ast.keyword) and sub.arg:
                names.add(sub.arg)
    return names


def expect_pair(received, expected, *, name, signal_pair=None, signal=None):
    if not isinstance(received, (tuple, list)) or len(received) != 2:
        raise Mismatch(f"{name}: expected a pair (dL/dw, dL/db), received {describe(received)}")
    values = []
    for v in received:
        if isinstance(v, torch.Tensor) and v.numel() == 1:
            v = float(v)
        if type(v) not in (int, float):
            raise Mismatch(f"{name}: expected two numbers, received {describe(v)} among them")
        values.append(float(v))
    def close(pair) -> bool:
        return all(abs(g - e) <= 1e-5 + 1e-4 * abs(e) for g, e in zip(values, pair))

    if not close(expected):
        missing = signal_pair is not None and close(signal_pair)
        hint = " (what the chain rule gives without the factor ds/dh = 1 - s²)" if missing else ""
        raise Mismatch(f"{name}: expected (dL/dw, dL/db) = ({expected[0]:.6g}, {expected[1]:.6g}), "
                       f"received ({values[0]:.6g}, {values[1]:.6g}){hint}", signal=signal if missing else None)


@points(3)
def test_manual_gradients_by_the_chain_rule(student, rng, source):
    used = function_names(source, "manual_gradients") & AUTOGRAD_NAMES
    if used:
        raise Mismatch(f"manual_gradients uses autograd ({', '.join(sorted(used))}); write the chain rule "
                       "out by hand there, from the local derivatives in the task")
    x, t, w, b = inputs(rng)
    got = student.manual_gradients(x, t, w, b)
    expect_pair(got, trusted(x, t, w, b), name=f"manual_gradients(x, t, w={w}, b={b})",
                signal_pair=trusted(x, t, w, b, tanh_factor=False), signal="chain-rule-missing-factor")


@points(2)
def test_autograd_gradients_agree(student, rng, source):
    x, t, w, b = inputs(rng)
    if not function_names(source, "autograd_gradients") & {"backward", "grad"}:
        raise Mismatch("autograd_gradients never calls backward() or torch.autograd.grad(), so its "
                       "gradients cannot come from autograd", signal="manual-gradient")
    got = student.autograd_gradients(x, t, w, b)
    expect_pair(got, trusted(x, t, w, b), name=f"autograd_gradients(x, t, w={w}, b={b})")
