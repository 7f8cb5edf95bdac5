"""`grade collect`: import validated bundles into the instructor's database, idempotently, filed
under the student the instructor's side names.

With a roster (`--roster`), a bundle's student comes from the roster and the file's LMS
download name or folder (grader.instructor.roster.identify), never from what the bundle says
about itself; a bundle nothing identifies is listed, not imported, and so are the roster's
students without a bundle. Without a roster, an LMS download name still decides (Moodle: the
full name; Canvas: the user id), and otherwise the bundle's own claim, which may not take an
email or student id another student already has.

Collecting the same bundle twice changes nothing (bundles are keyed by their SHA-256). The
bundle collected last is a student's current one, whatever date it claims; the one before is
replaced, which is reported, logged (who, when, which) and can be undone (`grade collect
--undo N`). Every text a bundle brought (names, claims, zip member names) is shown through
grader.text.plain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from grader.errors import UsageProblem
from grader.instructor.bundle import Bundle, read_bundle
from grader.instructor.roster import EMAIL_RE, Roster, download_name, identify
from grader.text import plain

if TYPE_CHECKING:
    from grader.store import Store


def shown(text: object, limit: int = 120) -> str:
    """Untrusted text for one line of output: no control characters or newlines, bounded."""
    text = plain(text, newlines=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class CollectOutcome:
    path: Path
    status: str  # collected | replaced | recollected | moved | unchanged | unfiled
    student: str = ""
    bundle_id: Optional[int] = None
    event: Optional[int] = None
    identified_by: str = ""
    replaced: Optional[dict] = None  # the bundle this one replaced: {id, file_name, collected_at, created_at}
    exercises: int = 0
    attempts: int = 0
    quiz_attempts: int = 0
    skipped_exercises: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    why: str = ""  # unfiled: why no student could be given to it
    claim: str = ""  # what the bundle says about itself
    folder: str = ""  # unfiled: the folder name that would file it under the student it claims to be

    def describe(self) -> list[str]:
        """The lines collect prints for this bundle; every value from a bundle made plain."""
        name, student = shown(self.path.name), shown(self.student)
        if self.status == "unchanged":
            lines = [f"{name}: already collected for {student}; nothing changed."]
        elif self.status == "unfiled":
            where = (f"a folder named {shown(self.folder)}" if self.folder
                     else "a folder named after the student's email (or student id)")
            lines = [f"{name}: not imported: {shown(self.why, 400)}.",
                     f"  It claims to be {shown(self.claim, 300)}; its own claim does not choose the student. "
                     f"If you know who sent it, put it in {where} and collect it again."]
        else:
            what = (f"{self.exercises} exercise file(s), {self.attempts} self-reported attempt(s), "
                    f"{self.quiz_attempts} quiz attempt(s)")
            skipped = (f"; skipped {', '.join(map(shown, self.skipped_exercises))} (not in this course)"
                       if self.skipped_exercises else "")
            again = {"recollected": " again", "moved": " (moved from the student it claimed)"}.get(self.status, "")
            lines = [f"{name}: collected{again} for {student}, named by its {self.identified_by}: {what}{skipped}."]
            if self.replaced:
                r = self.replaced
                lines.append(f"  It replaces bundle #{r['id']} ({shown(r['file_name'])}, collected "
                             f"{r['collected_at'][:19].replace('T', ' ')}). Undo: grade collect --undo {self.event}")
        lines += [f"  Warning: {shown(w, 400)}" for w in self.warnings]
        return lines


@dataclass
class CollectReport:
    outcomes: list[CollectOutcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per malformed bundle
    roster: Optional[Roster] = None
    missing: list[dict] = field(default_factory=list)  # roster students without a current bundle

    @property
    def unfiled(self) -> list[CollectOutcome]:
        return [o for o in self.outcomes if o.status == "unfiled"]


def _claim(bundle: Bundle) -> str:
    m = bundle.manifest
    parts = [m.student] + ([f"<{m.email}>"] if m.email else []) + ([f"id {m.student_id}"] if m.student_id else [])
    return " ".join(parts)


def _file(store: "Store", bundle: Bundle, roster: Optional[Roster], roster_ids: dict[int, int],
          known_exercises: set[str], by: str) -> CollectOutcome:
    """Decide whose bundle this is and import it; the outcome says what happened."""
    outcome = CollectOutcome(bundle.path, "unfiled", claim=_claim(bundle), exercises=len(bundle.sources),
                             skipped_exercises=sorted(set(bundle.manifest.exercises) - known_exercises))
    already = store.bundle_by_sha(bundle.sha256)
    if already and already["status"] != "withdrawn":
        return _known(store, outcome, already, bundle, roster, roster_ids, by)
    if roster is not None:
        chosen = _by_roster(outcome, bundle, roster, roster_ids)
    else:
        chosen = _without_roster(store, outcome, bundle)
    if chosen is None:
        return outcome  # unfiled: outcome.why says why
    student_id, how = chosen
    return _record(outcome, store.collect_bundle(bundle, student_id, identified_by=how, by=by), how, bundle)


def _known(store: "Store", outcome: CollectOutcome, already: dict, bundle: Bundle, roster: Optional[Roster],
           roster_ids: dict[int, int], by: str) -> CollectOutcome:
    """A bundle collected before: nothing changes, unless it was filed by its own claim and the
    roster now names another student (then it moves there)."""
    found = identify(bundle.path, roster) if roster is not None else None
    elsewhere = found is not None and found.entry is not None and roster_ids[found.entry.row] != already["student_id"]
    if elsewhere and already["identified_by"].startswith("own claim"):
        moved = store.move_bundle(already["id"], roster_ids[found.entry.row], identified_by=found.how, by=by)
        return _record(outcome, moved, found.how, bundle)
    outcome.status, outcome.student, outcome.bundle_id = "unchanged", already["student"], already["id"]
    if elsewhere:
        outcome.warnings.append(f"the roster gives it to {found.entry.label()}; to move it, undo the change that "
                                "filed it (grade collect --log) and collect it again")
    return outcome


def _by_roster(outcome: CollectOutcome, bundle: Bundle, roster: Roster,
               roster_ids: dict[int, int]) -> Optional[tuple[int, str]]:
    """(student id, how) from the file's LMS download name or folder; the claim is only compared."""
    m = bundle.manifest
    found = identify(bundle.path, roster)
    said = roster.claimed(m.student, m.email, m.student_id)
    if found.entry is None:
        outcome.why = found.why
        if said is not None:
            outcome.folder = said.email or said.student_id or said.login
            outcome.claim += f" (on the roster as {said.label()})"
        return None
    if said is not None and said is not found.entry:
        outcome.warnings.append(f"it claims to be {said.label()}, but the {found.how} gives it to {found.entry.label()}")
    return roster_ids[found.entry.row], found.how


def _without_roster(store: "Store", outcome: CollectOutcome, bundle: Bundle) -> Optional[tuple[int, str]]:
    """(student id, how) from an LMS download name, else the bundle's claim (which may not take
    an email or student id another student has)."""
    m = bundle.manifest
    email = m.email if EMAIL_RE.match(m.email) else ""
    lms = download_name(bundle.path)
    if "lms_id" in lms:
        how = "Canvas download name"
        student_id, note = store.student_for_bundle(name=m.student, email=email, student_id=m.student_id,
                                                    lms_id=lms["lms_id"])
    elif "name" in lms:
        how = "Moodle download name"
        student_id, note = store.student_for_bundle(name=lms["name"], email=email, student_id=m.student_id,
                                                    name_is_known=True)
        if lms["name"].casefold() != m.student.casefold():
            outcome.warnings.append(f"it claims to be {m.student}, but the Moodle download names {lms['name']}")
    else:
        how = "own claim (no roster)"
        student_id, note = store.student_for_bundle(name=m.student, email=email, student_id=m.student_id)
    if student_id is None:
        outcome.why = f"{note}; collect with --roster to decide who is who"
        return None
    if note:
        outcome.warnings.append(note)
    return student_id, how


def _record(outcome: CollectOutcome, done: dict, how: str, bundle: Bundle) -> CollectOutcome:
    m = bundle.manifest
    outcome.status, outcome.student = done["status"], done["student"]
    if done["status"] == "unchanged":
        outcome.bundle_id = done["bundle_id"]
        return outcome
    outcome.bundle_id, outcome.event, outcome.replaced = done["bundle_id"], done["event"], done["replaced"]
    outcome.identified_by, outcome.attempts, outcome.quiz_attempts = how, done["attempts"], done["quiz_attempts"]
    if outcome.replaced and _earlier(m.created_at, outcome.replaced["created_at"]):
        outcome.warnings.append(f"it says it was made {m.created_at[:19]}, before the bundle it replaces "
                                f"({outcome.replaced['created_at'][:19]}); the one collected last counts")
    return outcome


def _earlier(a: str, b: str) -> bool:
    from datetime import datetime

    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) < datetime.fromisoformat(b.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return False


def collect(store: "Store", paths: list[Path], known_exercises: set[str], *, roster: Optional[Roster] = None,
            by: str = "", progress: Optional[Callable[[int, int, str], None]] = None) -> CollectReport:
    """Validate and import every bundle; a malformed one is reported and the rest still go in.
    progress(done, total, file name) is called after each bundle."""
    report = CollectReport(roster=roster)
    roster_ids: dict[int, int] = {}
    if roster is not None:
        ids = store.upsert_roster([e.fields() for e in roster.entries])
        roster_ids = {e.row: i for e, i in zip(roster.entries, ids)}
    for n, path in enumerate(paths, start=1):
        try:
            bundle = read_bundle(Path(path), known_exercises)
        except UsageProblem as exc:
            report.errors.append(shown(str(exc), 600))
        else:
            report.outcomes.append(_file(store, bundle, roster, roster_ids, known_exercises, by))
        if progress is not None:
            progress(n, len(paths), Path(path).name)
    if roster is not None:
        report.missing = store.roster_students_without_bundle()
    return report
