"""Hidden tests for exercise 11 (two-layers, optional)."""

import torch

from grader.authoring import points
from grader.authoring.training import (confirm, expect_module, expect_optimizer, mirror, noisy_line, regression_metrics,
                             train)

# 5 × the noise's standard deviation: after 20 epochs a two-layer net's fit is still a little
# loose, and at exercise 10's 0.3 about 1 correct solution in 100 missed accuracy > 0.9 by luck
# (measured over 800 seeds; at 0.5 none did, the worst reaching 0.985).
EPOCHS, BATCH, TOLERANCE = 20, 10, 0.5


@points(1)
def test_make_model_builds_one_or_two_hidden_layers(student, rng):
    probe = torch.rand(16, 1, generator=rng) * 2 - 1
    for layers in (1, 2):
        model = expect_module(student.make_model(layers), name=f"make_model({layers})")
        mirror(model, in_features=1, hidden_layers=layers, probe=probe, name=f"make_model({layers})")


@points(3)
def test_two_hidden_layers_compared_with_one(student, rng, record, exercise):
    x, y, x_held, y_held = noisy_line(rng)
    batch_seed = int(torch.randint(0, 2**31 - 1, (1,), generator=rng))
    built = {}
    for layers in (1, 2):  # check both shapes before spending time on training
        model = expect_module(student.make_model(layers), name=f"make_model({layers})")
        net = mirror(model, in_features=1, hidden_layers=layers, probe=x_held[:16], name=f"make_model({layers})")
        built[layers] = model, net, expect_optimizer(student.make_optimizer(model), name="make_optimizer(model)")
    runs = {}
    for layers, (model, net, optimizer) in built.items():  # the same data and batches for both
        net, runs[layers] = train(student, model, optimizer, net, x, y, epochs=EPOCHS, batch_size=BATCH,
                                  rng=torch.Generator().manual_seed(batch_seed),
                                  evaluate=lambda n: regression_metrics(n(x_held), y_held, TOLERANCE),
                                  targets=exercise.targets)
        confirm(model, net, x_held[:16], name=f"the trained make_model({layers})")
    one, two = runs[1][-1], runs[2][-1]
    verdict = ("the second layer helped" if two["loss"] < 0.9 * one["loss"] else
               "the second layer did not help here" if two["loss"] > 1.1 * one["loss"] else
               "about the same: a line needs no depth")
    for a, b in zip(runs[1], runs[2]):
        note = verdict if b is two else b["note"]
        record.trace(b["epoch"], b["loss"], b["accuracy"],
                     f"{note} · one layer: loss {a['loss']:.4f}, accuracy {a['accuracy']:.0%}")
    record.metric("loss_one_layer", one["loss"])
    record.metric("accuracy_one_layer", one["accuracy"])
    record.targets(loss=two["loss"], accuracy=two["accuracy"])
