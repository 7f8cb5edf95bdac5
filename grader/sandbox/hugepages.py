"""Backing the zygote's warm heap with transparent huge pages (Linux), so forking it is cheap.

fork() copies one page-table entry per 4 KiB page of the warm heap and every exit tears them down
again; in 2 MiB huge pages the same memory needs a fraction of the entries (docs/PERFORMANCE.md
has the measurements).

MADV_COLLAPSE (Linux 6.1) rebuilds memory already in use into huge pages. It copies the memory, so
the zygote does it a chunk at a time while no request waits, and only when told that many sessions
will follow (a single grading would not earn the cost back). A write to a shared huge page splits
only the writer's mapping of it and copies 4 KiB. The collapse is done once: pages the zygote's
own request loop keeps writing would only be copied again and split again. Where the kernel
refuses, every call fails cheaply and nothing changes. Standard library only: the worker script
imports this.
"""

from __future__ import annotations

import ctypes
import sys

MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25
HUGE_PAGE = 2 << 20
CHUNK = 8 << 20  # the longest a request waits behind one step of copying


def anonymous_chunks(maps_path: str = "/proc/self/maps") -> list[tuple[int, int]]:
    """(start, length) of the private writable anonymous memory, aligned to huge pages, in CHUNKs."""
    chunks = []
    try:
        with open(maps_path) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split()
        if len(parts) < 5 or parts[1] != "rw-p" or (len(parts) > 5 and parts[5] != "[heap]"):
            continue
        low, high = (int(x, 16) for x in parts[0].split("-"))
        start, end = -(-low // HUGE_PAGE) * HUGE_PAGE, high // HUGE_PAGE * HUGE_PAGE
        chunks += [(at, min(CHUNK, end - at)) for at in range(start, end, CHUNK)]
    return chunks


class Collapser:
    """Collapses the heap into huge pages, one chunk per `step`, once `start` has been called."""

    def __init__(self) -> None:
        self._todo: list[tuple[int, int]] = []
        self._started = False
        self._madvise = None
        if sys.platform.startswith("linux"):
            try:
                madvise = ctypes.CDLL(None, use_errno=True).madvise
                madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
                self._madvise = madvise
            except (OSError, AttributeError):
                pass
        self.collapsed = 0  # bytes, for tests

    def start(self) -> None:
        if self._madvise is not None and not self._started:
            self._started = True
            self._todo = anonymous_chunks()

    @property
    def pending(self) -> bool:
        return bool(self._todo)

    def step(self) -> None:
        start, length = self._todo.pop(0)
        self._madvise(start, length, MADV_HUGEPAGE)  # what the heap grows into here is huge too
        if self._madvise(start, length, MADV_COLLAPSE) == 0:
            self.collapsed += length
