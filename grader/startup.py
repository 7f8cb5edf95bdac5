"""What keeps the grader quick to start and cheap to run, in one place.

- Torch-free commands (list, show, quiz, report...) must not import numpy, pandas or torch:
  `import_sqlite_utils` loads sqlite_utils without the numpy and pandas it only needs for types
  the grader never stores.
- The trusted grading process computes little (metrics on small held-out sets): one thread
  (`trusted_threads`), so OpenMP does not spin idle threads beside every grading.
- Grading processes fork from a warm one: what it has loaded is frozen out of the garbage
  collector's reach (`freeze_loaded`), so a forked process's collections do not touch, and so
  copy, the parent's pages.
- A grading command exits without the interpreter's teardown of torch (`exit_now`).

The worker (grader/sandbox/worker.py) is a standalone script and repeats the thread and freeze
settings for itself: it imports nothing from the grader.
"""

from __future__ import annotations

import os
import sys

_frozen = False


def import_sqlite_utils() -> None:
    """Import sqlite_utils; outside grading processes (numpy not loaded yet) with numpy and pandas
    hidden while it loads, so they are not imported for nothing."""
    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def trusted_threads() -> None:
    """One compute thread in this (trusted) process; before torch is imported if possible."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def freeze_loaded() -> None:
    """Keep everything loaded so far out of later garbage collections, once per process (a
    long-lived process, such as the test suite, would otherwise freeze its garbage too)."""
    global _frozen
    if not _frozen:
        import gc

        gc.freeze()
        _frozen = True


def exit_now(code) -> None:
    """Exit without the interpreter's teardown (slow once torch is loaded). Commands have closed
    their database and sandbox by now; atexit handlers still run, buffered output is flushed."""
    import atexit

    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # e.g. a closed pipe: nothing left to say
            pass
    os._exit(code)
