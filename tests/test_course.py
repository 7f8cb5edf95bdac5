"""The course's arc (exercises 4-15): stubs fail, solutions pass, diagnoses, order, cheats, data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader import course
from grader.engine.check import check_exercise
from grader.cli import cli
from grader.engine.runner import grade_file

from conftest import stub_path

# The arc in order: slug and the diagnosis the untouched stub must produce.
ARC = [
    ("numerical-gradient", "one-sided-difference"),
    ("chain-rule", "chain-rule-missing-factor"),
    ("reverse-mode", "jacobian-instead-of-vjp"),
    ("dynamic-graph", "graph-broken"),
    ("zero-grad", "grad-accumulation"),
    ("linear-model", "no-update"),
    ("experiment", "manual-gradient"),
    ("two-layers", "architecture-mismatch"),
    ("pipeline", "bce-needs-probabilities"),
    ("no-grad", "graph-kept-alive"),
    ("checkpointing", "checkpoint-not-used"),
    ("custom-function", "backward-ignores-grad-output"),
]
SLUGS = [slug for slug, _ in ARC]


def exercise(slug: str):
    return course.load().find(slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_stub_fails_and_solution_passes_under_three_seeds(slug, sandbox):
    check = check_exercise(exercise(slug), [1, 2, 3], sandbox)
    assert check.problems == []
    assert (check.stub_failed, check.solution_passed) == (3, 3)


# Attempt seeds under which a reference solution once missed a target by bad luck (found by
# grading each solution under 300 random seeds). `grade` draws a fresh seed per attempt, so a
# correct answer must pass under every one; these pin the fixes (stratified points and rows).
HARD_SEEDS = [
    ("zero-grad", [1051230891, 289619497]),
    ("linear-model", [2042992638, 1028414678, 1685955115, 624230873]),
    ("two-layers", [1051230891, 972639797, 12345]),
]


@pytest.mark.parametrize("slug,seeds", HARD_SEEDS)
def test_solution_passes_under_seeds_that_once_failed_it(slug, seeds, sandbox):
    ex = exercise(slug)
    for seed in seeds:
        result = grade_file(ex, course.SOLUTIONS_DIR / ex.solution, seed=seed, sandbox=sandbox)
        assert result.passed, (seed, result.metrics, [t.message for t in result.tests if not t.passed])


@pytest.mark.parametrize("slug,code", ARC)
def test_stub_failure_names_the_intended_mistake(slug, code, sandbox):
    ex = exercise(slug)
    result = grade_file(ex, stub_path(ex), seed=7, sandbox=sandbox)
    assert not result.passed
    assert code in [d.code for d in result.diagnoses]


def test_grade_list_shows_the_arc_in_order(runner, workspace):
    result = runner.invoke(cli, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["name"] for r in rows] == [f"exercise{i}" for i in range(1, len(rows) + 1)]
    assert [r["slug"] for r in rows][3:] == SLUGS
    manifest = {ex.slug: ex for ex in course.load().exercises}
    for row in rows[3:]:
        assert row["concept"] == manifest[row["slug"]].concept
        assert row["seed_ref"][:3] in {"000", "001", "002", "003", "004"}
    assert [r["slug"] for r in rows if r["optional"]] == ["two-layers"]


def test_grade_list_table_names_each_concept(runner, workspace):
    result = runner.invoke(cli, ["list"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    for slug in SLUGS:
        ex = exercise(slug)
        assert ex.slug in result.output
        assert f"teaches: {ex.concept}" in result.output


CHEATS = {
    # Hard-codes the lesson's line instead of learning: the tests' second, random line exposes it.
    "linear-model": '''
import torch, torch.nn as nn
def make_model():
    return nn.Linear(1, 1)
def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)
def train_step(model, optimizer, x, y):
    with torch.no_grad():
        model.weight.fill_(2.0)
        model.bias.fill_(1.0)
    return 0.0
''',
    # A forward pass that ignores the weights and answers y = 2x + 1 (the lesson's line).
    "experiment": '''
import torch, torch.nn as nn
class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden, self.out = nn.Linear(1, 16), nn.Linear(16, 1)
    def forward(self, x):
        return 2 * x + 1
def make_model():
    return Model()
def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.1)
def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = ((model.out(torch.relu(model.hidden(x))) - y) ** 2).mean()
    loss.backward()
    optimizer.step()
    return 0.0
''',
    # The data script's own hidden weights, copied in: useless once the grader reorders columns.
    "pipeline": '''
import random, torch, torch.nn as nn
def make_model():
    return nn.Sequential(nn.Linear(10, 1), nn.Sigmoid())
def make_optimizer(model):
    return torch.optim.SGD(model.parameters(), lr=0.0)
def train_step(model, optimizer, x, y):
    rng = random.Random(0)
    w = [rng.choice((-1, 1)) * rng.uniform(0.3, 1.5) for _ in range(10)]
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([w]) * 2.0)
        model[0].bias.zero_()
    return 0.0
''',
    # Made-up logs and a fixed answer instead of the model's predictions.
    "no-grad": '''
import torch, torch.nn as nn
def make_model():
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
def make_optimizer(model):
    return torch.optim.Adam(model.parameters(), lr=0.05)
def train_epoch(model, optimizer, batches):
    return [0.1] * len(batches)
def predict(model, x):
    return torch.full((x.shape[0], 1), 0.5)
''',
    # A "two-layer" model that is the one-layer model with an unused extra layer attached.
    "two-layers": '''
import torch, torch.nn as nn, torch.nn.functional as F
class Padded(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))
        self.unused = nn.Linear(16, 16)
    def forward(self, x):
        return self.net(x)
def make_model(hidden_layers=1):
    return Padded() if hidden_layers == 2 else nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))
def make_optimizer(model):
    return torch.optim.Adam(model.parameters(), lr=0.005)
def train_step(model, optimizer, x, y):
    optimizer.zero_grad()
    loss = F.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
''',
    # Returns made-up, decreasing numbers as the history instead of training.
    "zero-grad": '''
def fit_line(x, y, w0, b0, lr, steps):
    return [(2.0 - 1.0 / (i + 1), 1.0) for i in range(steps)]
''',
    # A fixed answer for the gradient of f at one point.
    "numerical-gradient": '''
import torch
EVALUATIONS = 0
def numerical_gradient(x, eps):
    return torch.ones_like(x)
def autograd_gradient(x):
    return torch.ones_like(x)
''',
}


@pytest.mark.parametrize("slug", sorted(CHEATS))
def test_a_hard_coded_answer_fails(slug, tmp_path, sandbox):
    ex = exercise(slug)
    cheat = tmp_path / ex.file
    cheat.write_text(CHEATS[slug], encoding="utf-8")
    result = grade_file(ex, cheat, seed=11, sandbox=sandbox)
    assert not result.passed
    assert result.score < result.max_score


def test_pipeline_cheat_misses_the_accuracy_target_on_held_out_rows(tmp_path, sandbox):
    ex = exercise("pipeline")
    cheat = tmp_path / ex.file
    cheat.write_text(CHEATS["pipeline"], encoding="utf-8")
    result = grade_file(ex, cheat, seed=5, sandbox=sandbox)
    assert result.metrics["accuracy"] < 0.85
    assert len(result.trace) == 5  # the trace is the grader's, epoch by epoch


def test_training_trace_is_recorded_per_epoch(sandbox):
    ex = exercise("experiment")
    result = grade_file(ex, course.SOLUTIONS_DIR / ex.solution, seed=3, sandbox=sandbox)
    assert result.passed
    assert [row["epoch"] for row in result.trace] == list(range(1, 21))
    assert all(row["note"] and 0.0 <= row["accuracy"] <= 1.0 for row in result.trace)
    assert result.metrics["loss"] == pytest.approx(result.trace[-1]["loss"])


def test_pipeline_data_script_is_deterministic(tmp_path):
    script = course.data_dir() / "make_pipeline_data.py"
    for out in (tmp_path / "a", tmp_path / "b"):
        subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    first = (tmp_path / "a" / "pipeline.csv").read_bytes()
    assert first == (tmp_path / "b" / "pipeline.csv").read_bytes()
    assert first == (course.data_dir() / "pipeline.csv").read_bytes()  # the committed file is current
    lines = first.decode().splitlines()
    assert len(lines) == 1001 and len(lines[1].split(",")) == 11
    assert {line.rsplit(",", 1)[1] for line in lines[1:]} == {"0", "1"}


# -- the trace's text loss curve (grader/feedback.py) -----------------------------------------------

def test_loss_curve_has_one_mark_per_epoch():
    from grader.cli.feedback import sparkline_curve

    rows = sparkline_curve([0.65, 0.48, 0.35, 0.28, 0.22])
    plot = rows[:-2]
    assert sum(r.split("|", 1)[1].count("*") for r in plot) == 5
    assert plot[0].split("|", 1)[1].startswith("*")  # the first epoch is the highest loss
    assert plot[-1].rstrip().endswith("*")  # the last is the lowest
    assert rows[-1].split() == ["1", "5", "epochs"]


def test_loss_curve_marks_divergence_and_uses_a_log_scale_for_exact_fits():
    from grader.cli.feedback import sparkline_curve

    diverged = sparkline_curve([0.5, 0.4, float("nan")])
    assert "!" in diverged[0]
    exact = sparkline_curve([3.5 * 0.5 ** i for i in range(60)])
    assert "log scale" in exact[-1]
    assert sum(r.count("*") for r in exact[:-2]) == 40  # resampled to the width
