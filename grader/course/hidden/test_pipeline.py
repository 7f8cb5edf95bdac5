"""Hidden tests for exercise 12 (pipeline). The data set is data/pipeline.csv (data/make_pipeline_data.py)."""

import csv
from functools import lru_cache

import torch

from grader import course
from grader.authoring import points
from grader.authoring.training import (classification_metrics, confirm, expect_module, expect_optimizer, mirror,
                             train)

EPOCHS, BATCH, HELD_OUT = 5, 32, 200


@lru_cache(maxsize=1)
def dataset() -> tuple[torch.Tensor, torch.Tensor]:
    with open(course.data_dir() / "pipeline.csv", newline="", encoding="ascii") as fh:
        rows = list(csv.reader(fh))[1:]
    x = torch.tensor([[float(v) for v in row[:-1]] for row in rows])
    y = torch.tensor([[float(row[-1])] for row in rows])
    return x, y


@lru_cache(maxsize=1)
def strata() -> torch.Tensor:
    """The rows in blocks of 5, from the easiest to classify to the hardest: shape (200, 5).

    Difficulty is each row's margin under the best logistic fit to all 1000 rows (Newton's
    method in float64, deterministic). Some rows sit on the wrong side of any linear boundary;
    a held-out set of 200 rows drawn at random sometimes catches twice their share, and then
    even a fully trained model misses loss < 0.3 or accuracy > 0.85 by bad luck.
    """
    x, y = dataset()
    features = torch.cat([x.double(), torch.ones(x.shape[0], 1, dtype=torch.float64)], dim=1)
    labels = y.reshape(-1).double()
    beta = torch.zeros(features.shape[1], dtype=torch.float64)
    for _ in range(30):
        p = torch.sigmoid(features @ beta)
        hessian = features.T @ (features * (p * (1 - p)).unsqueeze(1))
        beta = beta + torch.linalg.solve(hessian, features.T @ (labels - p))
    margin = (2 * labels - 1) * (features @ beta)
    return torch.argsort(margin, stable=True).reshape(HELD_OUT, -1)


def split(rng):
    """This attempt's view of the data: a stratified fifth of the rows held out (one row at random
    from each block of `strata()`), rows shuffled, columns reordered and some signs flipped."""
    x, y = dataset()
    blocks = strata()
    blocks = blocks.gather(1, torch.argsort(torch.rand(blocks.shape, generator=rng), dim=1))
    held = blocks[:, 0][torch.randperm(blocks.shape[0], generator=rng)]
    rest = blocks[:, 1:].reshape(-1)
    rest = rest[torch.randperm(rest.shape[0], generator=rng)]
    cols = torch.randperm(x.shape[1], generator=rng)
    signs = torch.where(torch.rand(x.shape[1], generator=rng) < 0.5, -1.0, 1.0)
    x = x[:, cols] * signs
    return x[rest], y[rest], x[held], y[held]


@points(1)
def test_model_is_linear_then_sigmoid(student, rng):
    model = expect_module(student.make_model(), name="make_model()")
    mirror(model, in_features=10, hidden_layers=0, output="Sigmoid", probe=torch.randn(16, 10, generator=rng) * 2)


@points(4)
def test_five_epochs_reach_the_targets(student, rng, record, exercise):
    x, y, x_held, y_held = split(rng)
    model = expect_module(student.make_model(), name="make_model()")
    net = mirror(model, in_features=10, hidden_layers=0, output="Sigmoid", probe=x_held[:16])
    optimizer = expect_optimizer(student.make_optimizer(model), name="make_optimizer(model)")
    net, rows = train(student, model, optimizer, net, x, y, epochs=EPOCHS, batch_size=BATCH, rng=rng,
                      evaluate=lambda n: classification_metrics(n(x_held), y_held),
                      targets=exercise.targets, record=record)
    confirm(model, net, x_held[:16])
    record.targets(loss=rows[-1]["loss"], accuracy=rows[-1]["accuracy"])
