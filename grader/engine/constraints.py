"""Machine checks for manifest constraints, run on the student's source text (parsed, never run)."""

from __future__ import annotations

import ast

from grader.engine.results import TestOutcome
from grader.course.manifest import Constraint

AUTOGRAD_CALLS = {"backward", "grad", "jacobian", "vjp", "jvp", "hessian", "vhp", "hvp"}


def _autograd_problems(source: str) -> list[str]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []  # the import itself reports syntax errors, with line and column
    calls_autograd = False
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in AUTOGRAD_CALLS:
                calls_autograd = True
        targets = []
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "grad":
                if not (isinstance(value, ast.Constant) and value.value is None):
                    problems.append(f"line {node.lineno} writes a gradient by hand (`.grad = ...`)")
    if not calls_autograd:
        problems.insert(0, "the code never calls backward() or torch.autograd.grad(), "
                           "so its gradients cannot come from autograd")
    return problems


def check_constraints(constraints: list[Constraint], source: str) -> list[TestOutcome]:
    outcomes = []
    for constraint in constraints:
        if constraint.check == "autograd-only":
            problems = _autograd_problems(source)
            outcomes.append(TestOutcome(
                name=f"constraint: {constraint.text}",
                status="failed" if problems else "passed",
                score=0.0, max_score=0.0,
                message="; ".join(problems),
                signals=["manual-gradient"] if problems else [],
                kind="constraint",
            ))
    return outcomes
