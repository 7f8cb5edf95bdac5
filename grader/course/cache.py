"""A cache of the validated course manifest, so torch-free commands start fast.

Building the pydantic validators for the manifest models costs ~0.1 s per process, more than
the rest of `grade list`. The models are declared with defer_build, so that cost is paid only
when something is validated. This cache stores the output of a full, strict validation, keyed
by the manifest's bytes, the grader version and the source of grader/manifest.py (a schema
change is a miss); a hit rebuilds the same objects with model_construct, which needs no
validators. A miss validates as before and writes the cache. Referenced files are checked on
every load. The cache file's name carries a digest of its content, so an edited cache file is
a miss, never a looser manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from grader import __version__

if TYPE_CHECKING:
    from grader.course.manifest import Manifest

PREFIX = "manifest-"


def cache_dir() -> Path | None:
    """GRADER_CACHE_DIR, else the platform's user cache folder. None: caching is off."""
    from grader import settings

    env = settings.lookup("GRADER_CACHE_DIR")
    if env is not None:
        return Path(env) if env.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "autograd-grader"


def _key(raw: bytes) -> str:
    h = hashlib.sha256()
    schema = Path(__file__).with_name("manifest.py")  # grader.course.manifest, read without importing pydantic
    for part in (raw, __version__.encode(), schema.read_bytes()):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:32]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load(path: Path, hidden_dir: Path, solutions_dir: Path) -> "Manifest":
    """The manifest at `path`, as grader.course.manifest.load_manifest returns it (every file it
    names checked against the stubs beside it, `hidden_dir` and `solutions_dir`)."""
    from grader.course.manifest import check_files, load_manifest

    folder = cache_dir()
    try:
        raw = path.read_bytes()
    except OSError:
        return load_manifest(path)  # raises the explanatory error
    key = _key(raw)
    data = read(folder, PREFIX, key)
    manifest = _from_cache(data, path) if data is not None else None
    if manifest is not None:
        check_files(manifest, path.parent, hidden_dir, solutions_dir)
        return manifest
    manifest = load_manifest(path, hidden_dir=hidden_dir, solutions_dir=solutions_dir)
    if folder is not None:
        _store(folder, key, manifest)
    return manifest


def peek(manifest_path: Path, name: str) -> dict | None:
    """The cached entry of exercise `name` (as Manifest.find matches it) as plain data, with no
    pydantic import; None when there is no valid cache for the manifest at `manifest_path`."""
    wanted = name.strip().lower()
    if wanted.isdigit():
        wanted = f"exercise{int(wanted)}"
    try:
        for ex in cached_exercises(manifest_path) or []:
            if wanted in (ex["name"], ex["slug"], ex["file"].lower(), Path(ex["file"]).stem.lower()):
                return ex
    except (KeyError, TypeError, AttributeError):
        pass
    return None


def cached_exercises(manifest_path: Path) -> list[dict] | None:
    """Every exercise of the manifest at `manifest_path`, in order, as plain data from a valid
    cache (no pydantic import); None when there is none yet."""
    try:
        data = read(cache_dir(), PREFIX, _key(manifest_path.read_bytes()))
        exercises = data["manifest"]["exercises"] if data is not None else None
    except (OSError, KeyError, TypeError):
        return None
    return exercises if isinstance(exercises, list) and all(isinstance(e, dict) for e in exercises) else None


def _from_cache(data: dict, path: Path) -> "Manifest | None":
    from grader.course.manifest import Constraint, Exercise, Manifest, Target

    try:
        exercises = []
        for ex in data["manifest"]["exercises"]:
            ex = dict(ex)
            ex["targets"] = {k: Target.model_construct(**t) for k, t in ex["targets"].items()}
            ex["constraints"] = [Constraint.model_construct(**c) for c in ex["constraints"]]
            exercises.append(Exercise.model_construct(**ex))
        return Manifest.model_construct(format_version=data["manifest"]["format_version"],
                                        exercises=exercises, path=path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _store(folder: Path, key: str, manifest: "Manifest") -> None:
    write(folder, PREFIX, key, {"key": key, "manifest": manifest.model_dump(mode="json", exclude={"path"})})


def write(folder: Path, prefix: str, key: str, data: dict) -> None:
    """Store `data` as `{prefix}{key}-{digest of the text}.json`, replacing older `prefix` files
    (one course version at a time is enough). A read-only home: nothing is cached."""
    text = json.dumps(data, sort_keys=True)
    target = folder / f"{prefix}{key}-{_digest(text)}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{target.name}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        for old in folder.glob(f"{prefix}*.json"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def read(folder: Path | None, prefix: str, key: str) -> dict | None:
    """What `write` stored under `key`, if its file is unedited (its name carries its digest)."""
    if folder is None or not folder.is_dir():
        return None
    for hit in sorted(folder.glob(f"{prefix}{key}-*.json")):
        try:
            text = hit.read_text(encoding="utf-8")
            if hit.name.endswith(f"-{_digest(text)}.json"):
                data = json.loads(text)
                if isinstance(data, dict) and data.get("key") == key:
                    return data
        except (OSError, ValueError):
            continue
    return None
