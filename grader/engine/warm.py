"""Getting the grading machinery warm before it is needed. Torch-free to import.

A command that grades starts its sandbox first (`start_sandbox`): the worker's zygote then
imports torch on one core while this process imports pytest, torch and the engine on the other
(`prepare_trusted`). Processes forked from a warm trusted process later skip those imports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grader.startup import freeze_loaded, trusted_threads

if TYPE_CHECKING:
    from grader.sandbox.client import Sandbox

# In a reference solution, these mean the worker's children build optimizers or checkpoint: both
# import torch._dynamo on first use, which a full warm-up pays once, in the zygote.
TRAINING_MARKERS = ("optim", "checkpoint", "compile", "_dynamo")


def start_sandbox(light: bool = False) -> "Sandbox":
    """A new sandbox whose zygote is already warming up. light: see `trains_nothing`."""
    from grader.sandbox.client import Sandbox

    box = Sandbox(light=light)
    box.warm()
    return box


def close_sandbox(box: "Sandbox") -> None:
    """Close; a zygote still importing torch (a usage error came first) has no sessions: kill it."""
    zygote = box.zygote
    if zygote is not None and not zygote._ready and zygote._proc is not None:
        with zygote._lock:
            zygote._discard()
    box.close()


def trains_nothing(exercise: str) -> bool:
    """Whether one grading of `exercise` can skip warming the optimizer in the zygote (ready sooner).
    Decided from the cached manifest and the reference solution, before pydantic or torch load;
    when unsure (no cache yet), False: the full warm-up is never wrong, only slower."""
    from grader import course

    entry = course.peek(exercise)
    if entry is None or entry.get("targets"):
        return False
    try:
        source = (course.SOLUTIONS_DIR / entry["solution"]).read_text(encoding="utf-8")
    except (OSError, KeyError, TypeError):
        return False
    return not any(marker in source for marker in TRAINING_MARKERS)


def prepare_trusted() -> None:
    """Import what grading needs in this trusted process (pytest, torch, the engine) ahead of time,
    then freeze it (grader.startup). Not torch._dynamo, which a torch.optim optimizer imports on
    first use: no hidden test builds one here (tests/test_speed.py checks), only the student's code
    does, in the worker."""
    trusted_threads()
    import pytest  # noqa: F401

    import grader.authoring.checks  # noqa: F401  (imports torch)
    import grader.engine.fixtures  # noqa: F401
    import grader.engine.runner  # noqa: F401
    from grader import course
    from grader.engine.diagnose import diagnose

    trusted_threads()
    course.load()
    diagnose([])  # parses the rules once
    freeze_loaded()


def wait_ready(box: "Sandbox") -> None:
    """Block until the zygote is warm: processes forked later must not race for its hello."""
    zygote = box.zygote
    if zygote is not None:
        with zygote._lock:
            zygote._ensure_ready()
