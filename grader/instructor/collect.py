"""`grade collect`: import validated bundles into the instructor's database, idempotently.

Collecting the same bundle twice changes nothing (bundles are keyed by their SHA-256). A newer
bundle from the same student supersedes the older one: the older bundle's imported rows are
removed (a student's progress only grows, so the newer bundle carries all of it) and its record
is kept, marked superseded. An older bundle arriving late is recorded as superseded at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.instructor.bundle import Bundle, read_bundle

if TYPE_CHECKING:
    from grader.store import Store


@dataclass
class CollectOutcome:
    path: Path
    student: str
    status: str  # collected | unchanged | older
    bundle_id: int
    replaced: int | None = None  # the bundle this one superseded
    exercises: int = 0
    attempts: int = 0
    quiz_attempts: int = 0
    skipped_exercises: list[str] = field(default_factory=list)

    def describe(self) -> str:
        name = self.path.name
        if self.status == "unchanged":
            return f"{name}: already collected for {self.student}; nothing changed."
        if self.status == "older":
            return (f"{name}: older than the bundle already collected for {self.student}; "
                    "kept for the record, not imported.")
        what = (f"{self.exercises} exercise file(s), {self.attempts} self-reported attempt(s), "
                f"{self.quiz_attempts} quiz attempt(s)")
        extra = f"; replaces bundle #{self.replaced}" if self.replaced else ""
        skipped = (f"; skipped {', '.join(self.skipped_exercises)} (not in this course)"
                   if self.skipped_exercises else "")
        return f"{name}: collected {self.student}: {what}{extra}{skipped}."


def collect_bundle(store: Store, bundle: Bundle) -> CollectOutcome:
    """Import one validated bundle (see Store.collect_bundle)."""
    done = store.collect_bundle(bundle)
    return CollectOutcome(bundle.path, done["student"], done["status"], done["bundle_id"],
                          replaced=done.get("replaced"), exercises=len(bundle.sources),
                          attempts=done.get("attempts", 0), quiz_attempts=done.get("quiz_attempts", 0))


@dataclass
class CollectReport:
    outcomes: list[CollectOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per malformed bundle


def collect(store: Store, paths: list[Path], known_exercises: set[str]) -> CollectReport:
    """Validate and import every bundle; a malformed one is reported and the rest still go in."""
    from grader.errors import UsageProblem

    report = CollectReport()
    for path in paths:
        try:
            bundle = read_bundle(Path(path), known_exercises)
        except UsageProblem as exc:
            report.errors.append(str(exc))
            continue
        outcome = collect_bundle(store, bundle)
        outcome.skipped_exercises = sorted(set(bundle.manifest.exercises) - known_exercises)
        report.outcomes.append(outcome)
    return report
