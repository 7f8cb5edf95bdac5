"""The exercise manifest: one versioned TOML file in exercises/ declaring every exercise.

Validated with pydantic; every error names the file and the field (``exercises[2].slug``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from grader.errors import ContentError, UnknownName, field_path
from grader.text import closest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SUPPORTED_FORMAT_VERSIONS = (1,)
CONSTRAINT_CHECKS = ("autograd-only",)
NAME_RE = re.compile(r"^exercise[1-9][0-9]*$")
SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class _Strict(BaseModel):
    # defer_build: validators are built (~0.1 s) only when something is validated, not on import;
    # torch-free commands read a cached, already validated manifest (grader/manifest_cache.py).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Target(_Strict):
    op: Literal["<", "<=", ">", ">="]
    value: float

    def met(self, observed: float | None) -> bool:
        if observed is None or observed != observed:  # missing or NaN
            return False
        return {
            "<": observed < self.value,
            "<=": observed <= self.value,
            ">": observed > self.value,
            ">=": observed >= self.value,
        }[self.op]

    def describe(self, metric: str) -> str:
        return f"{metric} {self.op} {self.value:g}"


class Constraint(_Strict):
    text: str = Field(min_length=1)
    # A machine check the engine runs on the student's source, where one exists.
    check: Optional[Literal["autograd-only"]] = None


class Exercise(_Strict):
    name: str
    slug: str
    title: str = Field(min_length=1)
    file: str = Field(description="the stub, relative to exercises/")
    concept: str = Field(min_length=1, description="the seed concept this exercise teaches")
    seed_ref: str = Field(min_length=1, description="where in the lesson: e.g. '003 pitfall 1'")
    task: str = Field(min_length=1)
    hints: list[str] = Field(default_factory=list, max_length=3)
    targets: dict[str, Target] = Field(default_factory=dict)
    constraints: list[Constraint] = Field(default_factory=list)
    points: float = Field(gt=0)
    tests: str = ""
    solution: str = ""
    test_timeout_s: float = Field(default=10.0, gt=0, le=600)
    timeout_s: float = Field(default=60.0, gt=0, le=3600)
    memory_mb: int = Field(default=2048, ge=256)
    optional: bool = False

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME_RE.match(v):
            raise ValueError("must look like 'exercise3'")
        return v

    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG_RE.match(v):
            raise ValueError("must be lowercase words joined by '-', e.g. 'requires-grad'")
        return v

    @field_validator("file", "tests", "solution")
    @classmethod
    def _relative(cls, v: str) -> str:
        if v and (Path(v).is_absolute() or ".." in Path(v).parts):
            raise ValueError("must be a path inside its folder (no '..', not absolute)")
        return v

    @model_validator(mode="after")
    def _defaults(self) -> "Exercise":
        # Conventions keep the manifest short: tests/test_<slug>.py, solutions/<stub name>.
        if not self.tests:
            object.__setattr__(self, "tests", f"test_{self.slug.replace('-', '_')}.py")
        if not self.solution:
            object.__setattr__(self, "solution", Path(self.file).name)
        if self.test_timeout_s > self.timeout_s:
            raise ValueError("test_timeout_s must not exceed timeout_s")
        return self

    @property
    def number(self) -> int:
        return int(self.name.removeprefix("exercise"))

    @property
    def module_name(self) -> str:
        return Path(self.file).stem

    @property
    def autograd_only(self) -> bool:
        return any(c.check == "autograd-only" for c in self.constraints)


class Manifest(_Strict):
    format_version: int
    exercises: list[Exercise] = Field(min_length=1)
    path: Optional[Path] = None

    def find(self, name: str) -> Exercise:
        """Accepts `exerciseN` and the slug (also `N` alone and the stub file name)."""
        key = name.strip().lower()
        if key.isdigit():
            key = f"exercise{int(key)}"
        for ex in self.exercises:
            if key in (ex.name, ex.slug, ex.file.lower(), Path(ex.file).stem.lower()):
                return ex
        names = [e.name for e in self.exercises] + [e.slug for e in self.exercises]
        raise UnknownName("exercise", name, closest(key, names))

    def names(self) -> list[str]:
        return [e.name for e in self.exercises]


def parse_manifest(data: dict, path: Path) -> Manifest:
    version = data.get("format_version")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        raise ContentError(
            path,
            "format_version",
            f"unsupported format version {version!r}; this grader reads "
            f"{', '.join(map(str, SUPPORTED_FORMAT_VERSIONS))} (upgrade the grader or fix the file)",
        )
    try:
        manifest = Manifest.model_validate({**data, "path": path})
    except ValidationError as exc:
        err = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise ContentError(path, field_path(err["loc"]), err["msg"] + more) from None
    seen: dict[str, dict[str, int]] = {"name": {}, "slug": {}, "file": {}}
    for i, ex in enumerate(manifest.exercises):
        for field in seen:
            value = getattr(ex, field)
            if value in seen[field]:
                raise ContentError(
                    path,
                    f"exercises[{i}].{field}",
                    f"duplicate {field} '{value}' (also exercises[{seen[field][value]}])",
                )
            seen[field][value] = i
    return manifest


def check_files(manifest: Manifest, exercises_dir: Path, hidden_dir: Path, solutions_dir: Path) -> None:
    """Every referenced file exists: stub, hidden tests, reference solution."""
    path = manifest.path
    for i, ex in enumerate(manifest.exercises):
        for field, folder in (("file", exercises_dir), ("tests", hidden_dir), ("solution", solutions_dir)):
            target = folder / getattr(ex, field)
            if not target.is_file():
                raise ContentError(path, f"exercises[{i}].{field}", f"no such file: {target}")


def load_manifest(path: Path, *, hidden_dir: Path | None = None, solutions_dir: Path | None = None) -> Manifest:
    """Parse and validate the manifest at `path`; with hidden_dir and solutions_dir, also check that
    every file it names exists (the stubs are beside the manifest)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ContentError(path, "", "the exercise manifest is missing") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ContentError(path, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML: {exc}") from None
    manifest = parse_manifest(data, path)
    if hidden_dir is not None and solutions_dir is not None:
        check_files(manifest, path.parent, hidden_dir, solutions_dir)
    return manifest
