"""Hidden tests for exercise 15 (custom-function)."""

import re

import torch
import torch.nn.functional as F


from grader.authoring import Mismatch, RemoteObject, describe, expect_tensor, points, preview, random_values


def inputs(rng, extremes: bool = False) -> torch.Tensor:
    x = torch.tensor(random_values(rng, scale=4.0))
    if extremes:
        x = torch.cat([x, torch.tensor([60.0, -60.0, 100.0])])
    return x


@points(1)
def test_softplus_runs_through_your_function(student, rng):
    x = inputs(rng, extremes=True).requires_grad_(True)
    y = student.softplus(x)
    expect_tensor(y, F.softplus(x.detach()), name=f"softplus({preview(x)})", atol=1e-5)
    grad_fn = getattr(y, "student_meta", {}).get("grad_fn") or ""
    # A custom Function's graph node is named <Class>Backward; built-in ones end in a digit.
    if not re.fullmatch(r"\w*Backward", grad_fn):
        raise Mismatch(f"softplus(x) should be computed by your Function (StableSoftplus.apply); its result came "
                       f"from {grad_fn or 'no graph node'}")


@points(2)
def test_backward_applies_the_chain_rule(student, rng):
    x = inputs(rng, extremes=True)
    weights = torch.rand(x.numel(), generator=rng) * 4 - 2
    got = student.weighted_grad(x, weights)
    expected = weights * torch.sigmoid(x)
    name = f"the gradient of sum(weights * softplus(x)) for x = {preview(x)}"
    if isinstance(got, torch.Tensor) and got.shape == x.shape and torch.allclose(got, torch.sigmoid(x), atol=1e-5):
        raise Mismatch(f"{name}: expected weights * sigmoid(x) = {preview(expected)}, received "
                       f"{preview(got)}, which is sigmoid(x) alone", signal="backward-ignores-grad-output")
    expect_tensor(got, expected, name=name, atol=1e-5)


def verdict(student, function: RemoteObject, x: torch.Tensor, label: str) -> bool:
    result = student.check_gradients(function, x)
    if type(result) is not bool:
        raise Mismatch(f"check_gradients({label}, x) should return True or False, received {describe(result)}")
    return result


@points(2)
def test_check_gradients_tells_right_from_wrong(student, rng):
    x = torch.tensor(random_values(rng, scale=3.0), dtype=torch.float64, requires_grad=True)
    yours, broken = student.StableSoftplus.value(), student.BrokenSoftplus.value()
    for value, label in ((yours, "StableSoftplus"), (broken, "BrokenSoftplus")):
        if not isinstance(value, RemoteObject):
            raise Mismatch(f"{label} should be a torch.autograd.Function class, received {describe(value)}")
    if verdict(student, broken, x, "BrokenSoftplus"):
        raise Mismatch("check_gradients(BrokenSoftplus, x) returned True, but BrokenSoftplus's backward is wrong; "
                       "gradcheck compares the backward with finite differences and would reject it")
    if not verdict(student, yours, x, "StableSoftplus"):
        raise Mismatch("check_gradients(StableSoftplus, x) returned False: gradcheck does not accept your "
                       "backward (does it multiply by grad_output?)", signal="backward-ignores-grad-output")
