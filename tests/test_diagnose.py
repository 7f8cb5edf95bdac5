"""Diagnosis rules against the errors torch really raises (produced here, not pasted)."""

from __future__ import annotations

import pytest
import torch

from grader.engine.diagnose import default_rules, diagnose, diagnose_messages, load_rules
from grader.engine.results import TestOutcome
from grader.errors import ContentError


def torch_error(fn) -> str:
    with pytest.raises(Exception) as info:
        fn()
    return str(info.value)


def _no_requires_grad():
    x = torch.tensor([2.0, 3.0])
    (x * x).sum().backward()


def _inplace_leaf():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x += 1


def _inplace_saved():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y += 1
    y.sum().backward()


def _non_scalar():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward()


def _twice():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    loss.backward()


def _grad_none_zero():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.grad.zero_()


def _int_requires_grad():
    torch.tensor([1, 2], requires_grad=True)


def _numpy_tracked():
    torch.tensor([1.0], requires_grad=True).numpy()


def _item_many():
    torch.tensor([1.0, 2.0]).item()


def _shapes():
    torch.ones(2, 3) @ torch.ones(2, 3)


REAL_ERRORS = [
    (_no_requires_grad, "missing-requires-grad"),
    (_inplace_leaf, "inplace-on-leaf"),
    (_inplace_saved, "inplace-on-saved-tensor"),
    (_non_scalar, "backward-non-scalar"),
    (_twice, "backward-twice"),
    (_grad_none_zero, "backward-not-called"),
    (_int_requires_grad, "integer-requires-grad"),
    (_numpy_tracked, "numpy-on-tracked-tensor"),
    (_item_many, "item-on-non-scalar"),
    (_shapes, "shape-mismatch"),
]


@pytest.mark.parametrize("make_error, code", REAL_ERRORS, ids=[c for _, c in REAL_ERRORS])
def test_real_torch_error_is_diagnosed(make_error, code):
    message = torch_error(make_error)
    codes = [d.code for d in diagnose_messages([message])]
    assert codes == [code], f"{message!r} gave {codes}"


def test_every_error_pattern_is_exercised_by_a_real_error():
    covered = {code for _, code in REAL_ERRORS}
    with_patterns = {r.code for r in default_rules() if r.errors}
    assert with_patterns <= covered


@pytest.mark.parametrize("signal, code", [
    ("grad-is-none", "backward-not-called"),
    ("grad-accumulation", "grad-accumulation"),
    ("non-finite-loss", "non-finite-loss"),
    ("manual-gradient", "manual-gradient"),
    ("missing-requires-grad", "missing-requires-grad"),
])
def test_signals_name_the_mistake(signal, code):
    assert [d.code for d in diagnose_messages([], {signal})] == [code]


def test_diagnose_uses_failed_tests_errors_and_all_signals():
    failed = TestOutcome("t1", "error", 0, 1, errors=[{"type": "RuntimeError",
                                                        "message": torch_error(_non_scalar)}])
    passed = TestOutcome("t2", "passed", 1, 1, signals=["grad-accumulation"])
    codes = [d.code for d in diagnose([failed, passed])]
    assert codes == ["backward-non-scalar", "grad-accumulation"]


def test_unrelated_error_gets_no_diagnosis():
    assert diagnose_messages(["name 'foo' is not defined"]) == []


def test_malformed_rules_file_names_the_field(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('format_version = 1\n[[rules]]\ncode = "x"\ntitle = "t"\nmessage = "m"\nerrors = ["(unclosed"]\n')
    with pytest.raises(ContentError) as info:
        load_rules(bad)
    assert "rules[0].errors" in str(info.value)
    assert str(bad) in str(info.value)
