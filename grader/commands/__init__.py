"""Command groups that live in their own modules, registered on the `grade` CLI.

Each module defines click commands and a `register(cli)` function, and must stay cheap to
import: click only at module level, everything heavy imported inside the command functions.
"""

from __future__ import annotations

import importlib

import click

# One line per module; add yours here.
MODULES: list[str] = [
    "instructor",
    "quiz",
    "speed",
]


def register_all(cli: click.Group) -> None:
    for name in MODULES:
        importlib.import_module(f"grader.commands.{name}").register(cli)
