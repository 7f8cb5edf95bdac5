"""The API hidden tests are written with: checks that explain themselves, and the trusted side of
the training exercises. Imports torch (only grading processes import this package).

A hidden test is a pytest function in grader/course/hidden/ that takes fixtures by name (see
grader/engine/fixtures.py): `student` (the student's module, every call run in the sandbox),
`seed`, `rng`, `record` (metrics, trace, targets), `exercise` and `source`.

    from grader.authoring import expect_grad, points, random_values

    @points(2)
    def test_gradient(student, rng):
        values = random_values(rng)
        expect_grad(student.cubic_grad(values), 3 * torch.tensor(values) ** 2, name="cubic_grad(values)")

    checks.py    points, Mismatch and the expect_* checks; randomized inputs
    training.py  mirrors of the student's network, the training loop the grader owns, metrics
"""

from grader.authoring.checks import (
    Mismatch,
    accumulation_factor,
    describe,
    dtype_name,
    expect_grad,
    expect_leaf,
    expect_number,
    expect_requires_grad,
    expect_tensor,
    points,
    preview,
    random_scalar,
    random_values,
)
from grader.sandbox.values import RemoteObject  # what a student object is, seen from here

__all__ = [
    "Mismatch", "accumulation_factor", "describe", "dtype_name", "expect_grad", "expect_leaf", "expect_number",
    "expect_requires_grad", "expect_tensor", "points", "preview", "random_scalar", "random_values",
    "RemoteObject",
]
