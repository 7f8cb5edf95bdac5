"""Closest-name suggestions for unknown exercises, quizzes and commands."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    pool = list(dict.fromkeys(candidates))
    found = difflib.get_close_matches(name.lower(), pool, n=n, cutoff=0.5)
    if not found:
        found = [c for c in pool if name.lower() in c.lower()][:n]
    return found
