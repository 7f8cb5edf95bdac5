"""The submission bundle: one zip a student sends to the instructor, and its validation.

A bundle holds the student's exercise files, their self-reported progress (attempts, hints)
and quiz responses, and a manifest with every file's SHA-256, the student's name and grader
version. Bundles are untrusted input: `read_bundle` checks zip paths, sizes, hashes and the
JSON schema before anything reaches the database, and never extracts to disk.

    bundle.zip
      manifest.json            format, student, email, student_id, grader_version, created_at,
                               exercises, files
      exercises/ex01_....py    one per exercise file found in the workspace
      progress.json            {"attempts": [...], "hints": [...]}   (self-reported)
      quizzes.json             {"attempts": [... with "responses"]}  (self-reported)
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from grader.errors import UsageProblem, field_path

FORMAT = "autograd-grader-bundle"
FORMAT_VERSION = 1

MAX_BUNDLE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 200
MAX_SOURCE_BYTES = 1_000_000  # same cap as grading a file (grader.engine.runner)
MAX_JSON_BYTES = 8 * 1024 * 1024
MAX_ROWS = 20_000

EXERCISE_PATH_RE = re.compile(r"^exercises/[A-Za-z0-9_][A-Za-z0-9_.\-]{0,120}\.py$")
JSON_MEMBERS = ("progress.json", "quizzes.json")


def visible(name: str, limit: int = 80) -> str:
    """A file or member name from a bundle, as one line anyone can read: control and format
    characters (escape sequences, newlines, bidirectional overrides) shown as \\xNN or \\uNNNN
    escapes, at most `limit` characters."""
    out = "".join((f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                  if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") else c for c in str(name))
    return out if len(out) <= limit else out[: limit - 1] + "…"


class BundleError(UsageProblem):
    """A malformed or tampered bundle: exit 2 with a message naming the file and the fix."""

    def __init__(self, path: Path | str, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{visible(Path(path).name, 120)} is not a valid submission bundle: {visible(problem, 600)}. "
                         "Ask the student to run 'grade submit' again and send the new file.")


# --- the JSON schema ---------------------------------------------------------------------

Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
Score = Annotated[float, Field(allow_inf_nan=False, ge=-1e6, le=1e6)]


def _iso(value: str) -> str:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("must be an ISO 8601 timestamp") from None
    return value


Timestamp = Annotated[str, Field(max_length=64), AfterValidator(_iso)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileEntry(_Strict):
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class ExerciseEntry(_Strict):
    path: str


class BundleManifest(_Strict):
    format: Literal["autograd-grader-bundle"]
    format_version: int
    student: str = Field(min_length=1, max_length=100)
    email: Annotated[str, Field(max_length=200)] = ""  # as the student set it (grade whoami --email)
    student_id: Annotated[str, Field(max_length=100)] = ""
    grader_version: Text
    created_at: Timestamp
    exercises: dict[Annotated[str, Field(pattern=r"^exercise[1-9][0-9]{0,3}$")], ExerciseEntry] = Field(max_length=500)
    files: dict[str, FileEntry] = Field(max_length=MAX_ENTRIES)

    @field_validator("student")
    @classmethod
    def _printable(cls, v: str) -> str:
        if not v.strip() or not v.isprintable():
            raise ValueError("must be a printable, non-empty name")
        return v.strip()

    @field_validator("email", "student_id")
    @classmethod
    def _printable_or_empty(cls, v: str) -> str:
        if not v.isprintable():
            raise ValueError("must be printable")
        return v.strip()


class Diag(_Strict):
    code: Text
    message: LongText = ""


class AttemptRow(_Strict):
    exercise: Text
    passed: bool
    score: Score
    max_score: Score
    duration_s: Score = 0.0
    seed: Optional[int] = None
    started_at: Timestamp
    complete: bool = True
    diagnoses: list[Diag] = Field(default_factory=list, max_length=50)
    source_sha256: Annotated[str, Field(max_length=64)] = ""


class HintRow(_Strict):
    exercise: Text
    hint_number: int = Field(ge=1, le=100)
    used_at: Timestamp


class Progress(_Strict):
    attempts: list[AttemptRow] = Field(default_factory=list, max_length=MAX_ROWS)
    hints: list[HintRow] = Field(default_factory=list, max_length=MAX_ROWS)


class ResponseRow(_Strict):
    position: int = Field(ge=0, le=10_000)
    question_id: Text
    kind: Text
    shown_order: list[Text] = Field(default_factory=list, max_length=100)
    chosen: Optional[LongText] = None
    correct: Optional[bool] = None
    score: Optional[Score] = None
    max_score: Optional[Score] = None
    time_s: Optional[Score] = None
    concepts_found: list[Text] = Field(default_factory=list, max_length=100)
    concepts_missing: list[Text] = Field(default_factory=list, max_length=100)
    misconception: Optional[Text] = None


class QuizAttemptRow(_Strict):
    quiz: Text
    quiz_version: Text = ""
    seed: Optional[int] = None
    started_at: Timestamp
    finished_at: Optional[Timestamp] = None
    complete: bool = True
    score: Optional[Score] = None
    max_score: Optional[Score] = None
    mode: Text = ""
    responses: list[ResponseRow] = Field(default_factory=list, max_length=1000)


class Quizzes(_Strict):
    attempts: list[QuizAttemptRow] = Field(default_factory=list, max_length=MAX_ROWS)


# --- reading -----------------------------------------------------------------------------

@dataclass
class Bundle:
    path: Path
    sha256: str
    size: int
    manifest: BundleManifest
    sources: dict[str, bytes] = field(default_factory=dict)  # exercise name -> file bytes
    progress: Progress = field(default_factory=Progress)
    quizzes: Quizzes = field(default_factory=Quizzes)

    @property
    def student(self) -> str:
        return self.manifest.student

    def source_text(self, exercise: str) -> str:
        return self.sources[exercise].decode("utf-8")


def _validated(model: type[BaseModel], raw: bytes, member: str, path: Path):
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BundleError(path, f"{member} is not valid JSON ({exc})") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = field_path(err["loc"])
        raise BundleError(path, f"{member}: {where + ': ' if where else ''}{err['msg']}") from None


def _safe_member(info: zipfile.ZipInfo, path: Path) -> str:
    name = info.filename
    if "\\" in name or name.startswith("/") or ":" in name or "\x00" in name:
        raise BundleError(path, f"unsafe path '{visible(name)}' inside the zip")
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise BundleError(path, f"unsafe path '{visible(name)}' inside the zip")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise BundleError(path, f"'{visible(name)}' is a symbolic link")
    if info.flag_bits & 0x1:
        raise BundleError(path, f"'{visible(name)}' is encrypted")
    if name != "manifest.json" and name not in JSON_MEMBERS and not EXERCISE_PATH_RE.match(name):
        raise BundleError(path, f"unexpected file '{visible(name)}' (a bundle holds manifest.json, "
                                "progress.json, quizzes.json and exercises/*.py)")
    return name


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, path: Path) -> bytes:
    # Read at most limit+1 bytes whatever the header claims: a zip bomb stops here.
    if info.file_size > limit:
        raise BundleError(path, f"'{visible(info.filename)}' is {info.file_size} bytes; the limit is {limit}")
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise BundleError(path, f"'{visible(info.filename)}' is larger than {limit} bytes")
    return data


def read_bundle(path: Path, known_exercises: set[str] | None = None) -> Bundle:
    """Validate and load a bundle. Raises BundleError (exit 2) naming what is wrong."""
    path = Path(path)
    size = _bundle_size(path)
    raw = path.read_bytes()
    members = _members(path)
    if "manifest.json" not in members:
        raise BundleError(path, "manifest.json is missing")
    manifest: BundleManifest = _validated(BundleManifest, members.pop("manifest.json"), "manifest.json", path)
    if manifest.format_version != FORMAT_VERSION:
        raise BundleError(path, f"format version {manifest.format_version} is not supported "
                                f"(this grader reads {FORMAT_VERSION}; are both on the same grader version?)")
    _check_hashes(path, manifest, members)
    bundle = Bundle(path=path, sha256=hashlib.sha256(raw).hexdigest(), size=size, manifest=manifest)
    bundle.sources = _sources(path, manifest, members, known_exercises)
    if "progress.json" in members:
        bundle.progress = _validated(Progress, members["progress.json"], "progress.json", path)
    if "quizzes.json" in members:
        bundle.quizzes = _validated(Quizzes, members["quizzes.json"], "quizzes.json", path)
    return bundle


def _bundle_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UsageProblem(f"No such file: {visible(str(path), 300)}. Pass the bundle files 'grade submit' wrote.") from None
    except OSError as exc:
        raise UsageProblem(f"Cannot read {visible(str(path), 300)}: {exc.strerror}") from None
    if path.is_dir():
        raise UsageProblem(f"{visible(str(path), 300)} is a folder; pass the bundle .zip files inside it.")
    if size > MAX_BUNDLE_BYTES:
        raise BundleError(path, f"it is {size // 1024} KB; a bundle must be under {MAX_BUNDLE_BYTES // 2**20} MB")
    return size


def _members(path: Path) -> dict[str, bytes]:
    """Every file in the zip by name, each within its size limit; never extracted to disk."""
    members: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise BundleError(path, f"it has {len(infos)} files; the limit is {MAX_ENTRIES}")
            for info in infos:
                if info.is_dir():
                    continue
                name = _safe_member(info, path)
                if name in members:
                    raise BundleError(path, f"'{visible(name)}' appears twice")
                limit = MAX_SOURCE_BYTES if name.startswith("exercises/") else MAX_JSON_BYTES
                members[name] = _read_member(zf, info, limit, path)
    except zipfile.BadZipFile as exc:
        raise BundleError(path, f"not a readable zip file ({exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise BundleError(path, f"the zip cannot be read ({exc})") from None
    return members


def _check_hashes(path: Path, manifest: BundleManifest, members: dict[str, bytes]) -> None:
    """Every member is listed in the manifest with its size and SHA-256, and every listed file is there."""
    for name, data in members.items():
        entry = manifest.files.get(name)
        if entry is None:
            raise BundleError(path, f"'{visible(name)}' is not listed in manifest.json")
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise BundleError(path, f"'{visible(name)}' does not match its SHA-256 in manifest.json (was it edited?)")
    for name in manifest.files:
        if name not in members:
            raise BundleError(path, f"'{visible(name)}' is listed in manifest.json but missing from the zip")


def _sources(path: Path, manifest: BundleManifest, members: dict[str, bytes],
             known_exercises: set[str] | None) -> dict[str, bytes]:
    """{exercise: its file's bytes (UTF-8)} for the exercises this course knows."""
    sources = {}
    for exercise, entry in manifest.exercises.items():
        if not EXERCISE_PATH_RE.match(entry.path) or entry.path not in members:
            raise BundleError(path, f"manifest.json: exercises.{visible(exercise)}.path '{visible(entry.path)}' "
                                    "is not a file in the bundle")
        if known_exercises is not None and exercise not in known_exercises:
            continue  # another course version's exercise: nothing to grade it against
        data = members[entry.path]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise BundleError(path, f"'{visible(entry.path)}' is not UTF-8 text") from None
        sources[exercise] = data
    return sources


# --- writing -----------------------------------------------------------------------------

def write_bundle(out: Path, *, student: str, grader_version: str, created_at: str,
                 sources: dict[str, tuple[str, bytes]], progress: dict, quizzes: dict,
                 email: str = "", student_id: str = "") -> Path:
    """Write a bundle. `sources` maps exercise name -> (file name, bytes)."""
    members: dict[str, bytes] = {}
    exercises: dict[str, dict] = {}
    for exercise, (file_name, data) in sources.items():
        member = f"exercises/{Path(file_name).name}"
        members[member] = data
        exercises[exercise] = {"path": member}
    members["progress.json"] = json.dumps(progress, indent=1).encode()
    members["quizzes.json"] = json.dumps(quizzes, indent=1).encode()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "student": student,
        "email": email,
        "student_id": student_id,
        "grader_version": grader_version,
        "created_at": created_at,
        "exercises": exercises,
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for name, data in members.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, data in members.items():
            zf.writestr(name, data)
    tmp.replace(out)  # a half-written bundle never carries the final name
    return out
