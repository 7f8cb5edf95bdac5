"""Files every later worker session must not see (the database), where mounts allow hiding them.

Kept import-free so the store can register its file without loading the sandbox.
"""

from __future__ import annotations

import os

_paths: dict[str, None] = {}
LIMIT = 64


def protect_path(path: "os.PathLike[str] | str") -> None:
    base = os.path.realpath(os.fspath(path))
    for name in (base, base + "-wal", base + "-shm", base + "-journal"):
        _paths.pop(name, None)
        _paths[name] = None
    while len(_paths) > LIMIT:
        _paths.pop(next(iter(_paths)))


def protected_files() -> list[str]:
    return [p for p in _paths if os.path.isfile(p)]
