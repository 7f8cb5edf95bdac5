"""Hidden tests for exercise 10 (experiment)."""

import torch

from grader.authoring import points
from grader.authoring.training import (confirm, expect_module, expect_optimizer, mirror, noisy_line, regression_metrics,
                             train)

EPOCHS, BATCH, TOLERANCE = 20, 10, 0.3  # 3 × the noise's standard deviation


@points(1)
def test_model_has_one_hidden_layer(student, rng):
    model = expect_module(student.make_model(), name="make_model()")
    mirror(model, in_features=1, hidden_layers=1, probe=torch.rand(16, 1, generator=rng) * 2 - 1)


@points(4)
def test_training_reaches_the_targets(student, rng, record, exercise):
    x, y, x_held, y_held = noisy_line(rng)
    model = expect_module(student.make_model(), name="make_model()")
    net = mirror(model, in_features=1, hidden_layers=1, probe=x_held[:16])
    optimizer = expect_optimizer(student.make_optimizer(model), name="make_optimizer(model)")
    net, rows = train(student, model, optimizer, net, x, y, epochs=EPOCHS, batch_size=BATCH, rng=rng,
                      evaluate=lambda n: regression_metrics(n(x_held), y_held, TOLERANCE),
                      targets=exercise.targets, record=record)
    confirm(model, net, x_held[:16])
    record.targets(loss=rows[-1]["loss"], accuracy=rows[-1]["accuracy"])
