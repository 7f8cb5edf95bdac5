"""The instructor's roster, and which roster student a bundle file belongs to (grade collect --roster).

A roster is a CSV the instructor already has: Canvas's gradebook export (Student, ID, SIS User
ID, SIS Login ID, Section), Moodle's grade export or participants list (First name, Last name,
ID number, Email address), Moodle's offline grading worksheet (Identifier "Participant N",
Full name, Email address), or any sheet with an email or student id column. `read_roster`
recognises the columns by their headers (`ROSTER_COLUMNS`).

A bundle's student is decided from the instructor's side, never from what the bundle says
about itself: `identify` reads the names an LMS bulk download gives each file and folder,
and folder or file names the instructor chose (a folder named after the student's email):

- Canvas "Download Submissions" (lib/content_zipper.rb, get_filename, add_upload_submission):
  `<sortable name, lower case, word characters only>[_LATE]_<Canvas user id>_<attachment
  id>_<file name>`; with anonymous grading `anon_<anonymous id>_...` (not identifiable).
- Moodle assignment "Download all submissions" (mod/assign/classes/downloader.php,
  get_student_prefix, load_submissionplugin_filelist): a folder
  `<Full name>_<participant id>_assignsubmission_file/<file name>` (the default since Moodle
  3.1), or with folders turned off a file `<Full name>_<participant id>_assignsubmission_file_
  <file name>`; Moodle replaces `_` in the name with a space, so the prefix ends at the first
  `_`. With blind marking the name is "Participant". The participant id is per assignment and
  appears in the grading worksheet's Identifier column ("Participant 123456").

What the bundle claims (its name, email, student id) is only compared with the result: a
bundle that claims to be another roster student is flagged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageProblem
from grader.text import plain

MAX_ROSTER_BYTES = 20 * 1024 * 1024
MAX_CELL = 200

# Header (lower case, letters and digits only) -> roster field.
ROSTER_COLUMNS = {
    "name": ("student", "name", "fullname", "studentname", "displayname", "sortablename"),
    "first": ("firstname", "givenname", "first"),
    "last": ("lastname", "surname", "familyname", "last"),
    "email": ("email", "emailaddress", "mail", "useremail"),
    "student_id": ("studentid", "idnumber", "sisuserid", "studentnumber", "matriculationnumber", "sisid"),
    "lms_id": ("id", "canvasid", "canvasuserid", "userid", "lmsid"),
    "login": ("username", "sisloginid", "login", "loginid"),
    "section": ("section", "sections", "group", "groups"),
    "participant": ("identifier",),  # Moodle grading worksheet: "Participant 123456"
}
_HEADER_FIELD = {alias: name for name, aliases in ROSTER_COLUMNS.items() for alias in aliases}
KEYS = ("email", "student_id", "lms_id", "login", "participant")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

CANVAS_FILE = re.compile(r"^(?P<name>\w*?)_(?P<late>LATE_)?(?P<uid>\d+)_(?P<attachment>\d+)_(?P<file>.+)$", re.S)
CANVAS_ANONYMOUS = re.compile(r"^(?:LATE_)?anon_(?P<anon>[0-9A-Za-z]+)_(?P<attachment>\d+)_", re.S)
MOODLE_PREFIX = re.compile(r"^(?P<name>[^_/]+)_(?P<pid>\d+)_assignsubmission_file(?:_(?P<file>.*))?$", re.S)
_PARTICIPANT = re.compile(r"(\d+)\s*$")


def header_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def name_key(text: str) -> str:
    """A name as Moodle writes it into a download: `_` as a space, no characters a file name
    cannot hold, spaces collapsed, case ignored."""
    text = re.sub(r'[\\/:*?"<>|]', "", text.replace("_", " "))
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class RosterEntry:
    """One student on the roster; every value from the instructor's file."""
    row: int
    name: str
    email: str = ""
    student_id: str = ""
    lms_id: str = ""
    login: str = ""
    section: str = ""
    participant: str = ""  # Moodle's per-assignment participant id (digits)

    def label(self) -> str:
        return f"{self.name} <{self.email}>" if self.email else self.name

    def fields(self) -> dict:
        return {"name": self.name, "email": self.email, "student_id": self.student_id,
                "lms_id": self.lms_id, "login": self.login, "section": self.section}


@dataclass
class Roster:
    path: Path
    entries: list[RosterEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by: dict[str, dict[str, RosterEntry]] = {k: {} for k in KEYS}
        self._by_name: dict[str, list[RosterEntry]] = {}
        for e in self.entries:
            for k in KEYS:
                value = getattr(e, k)
                if value:
                    self._by[k][value.casefold() if k in ("email", "login") else value] = e
            self._by_name.setdefault(name_key(e.name), []).append(e)

    def find(self, key: str, value: str) -> RosterEntry | None:
        if not value:
            return None
        return self._by[key].get(value.casefold() if key in ("email", "login") else value)

    def by_name(self, name: str) -> list[RosterEntry]:
        return self._by_name.get(name_key(name), [])

    def by_token(self, token: str) -> RosterEntry | None:
        """The student a folder or file name names: their email, student id or login, exactly."""
        token = token.strip()
        return self.find("email", token) or self.find("student_id", token) or self.find("login", token)

    def claimed(self, name: str, email: str, student_id: str) -> RosterEntry | None:
        """The roster student a bundle's own claim points at, if any (for flagging only)."""
        found = self.find("email", email) or self.find("student_id", student_id)
        if found:
            return found
        named = self.by_name(name)
        return named[0] if len(named) == 1 else None


# --- reading -----------------------------------------------------------------------------

def _problem(path: Path, what: str) -> UsageProblem:
    return UsageProblem(f"{plain(path.name, newlines=False)}: {what}. The roster is a CSV with a header row "
                        "naming an email, student id, ID or Identifier column (docs/INSTRUCTORS.md#roster).")


def read_roster(path: Path) -> Roster:
    """Parse the roster at `path`. Raises UsageProblem (exit 2) naming the file, row and column."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageProblem(f"No such roster file: {plain(str(path), newlines=False)}") from None
    except IsADirectoryError:
        raise UsageProblem(f"{plain(str(path), newlines=False)} is a folder; pass the roster CSV file.") from None
    except OSError as exc:
        raise UsageProblem(f"Cannot read the roster {plain(str(path), newlines=False)}: {exc.strerror}") from None
    if len(raw) > MAX_ROSTER_BYTES:
        raise _problem(path, f"it is larger than {MAX_ROSTER_BYTES // 2**20} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(path, f"byte {exc.start} is not UTF-8; save the file as CSV UTF-8") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise _problem(path, "it is empty")
    first = lines[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise _problem(path, f"it is not valid CSV ({exc})") from None
    header = [header_key(h) for h in rows[0]]
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        name = _HEADER_FIELD.get(h)
        if name and name not in columns:
            columns[name] = i
    if not any(k in columns for k in KEYS):
        shown = ", ".join(plain(h, newlines=False)[:40] for h in rows[0][:12])
        raise _problem(path, f"no column identifies students (its header is: {shown})")
    entries: list[RosterEntry] = []
    seen: dict[str, dict[str, int]] = {k: {} for k in KEYS}
    for n, row in enumerate(rows[1:], start=2):
        def cell(name: str) -> str:
            i = columns.get(name)
            value = row[i] if i is not None and i < len(row) else ""
            return plain(value, newlines=False).strip()[:MAX_CELL]

        if not any(c.strip() for c in row):
            continue
        if "Points Possible" in (row[0] if row else ""):
            continue  # Canvas's export: the points row under the header, not a student
        values = {k: cell(k) for k in ("name", "first", "last", "email", "student_id", "lms_id", "login",
                                        "section", "participant")}
        if values["participant"]:
            m = _PARTICIPANT.search(values["participant"])
            if not m:
                raise _problem(path, f"row {n}: Identifier {values['participant']!r} is not 'Participant NUMBER'")
            values["participant"] = m.group(1)
        if values["email"] and not EMAIL_RE.match(values["email"]):
            raise _problem(path, f"row {n}: {values['email']!r} is not an email address")
        name = values["name"] or " ".join(v for v in (values["first"], values["last"]) if v)
        if not any(values[k] for k in KEYS):
            raise _problem(path, f"row {n} ({name or 'no name'}) has no email, student id, ID, login or Identifier")
        for k in KEYS:
            value = values[k]
            if not value:
                continue
            folded = value.casefold() if k in ("email", "login") else value
            if folded in seen[k]:
                raise _problem(path, f"rows {seen[k][folded]} and {n} have the same {k.replace('_', ' ')} {value!r}")
            seen[k][folded] = n
        entries.append(RosterEntry(row=n, name=(name or values["email"] or values["student_id"] or values["login"]
                                                 or f"student {values['lms_id'] or values['participant']}")[:100],
                                   email=values["email"], student_id=values["student_id"],
                                   lms_id=values["lms_id"], login=values["login"], section=values["section"],
                                   participant=values["participant"]))
    if not entries:
        raise _problem(path, "it lists no students")
    return Roster(path, entries)


# --- which student a bundle file belongs to ----------------------------------------------

@dataclass
class Identification:
    """Who a bundle file belongs to, and the evidence. entry is None when nothing instructor-side
    names a roster student (`why` says what was found)."""
    entry: RosterEntry | None
    how: str = ""  # Canvas download name | Moodle download name | folder name | file name
    why: str = ""


def lms_evidence(path: Path) -> list[tuple[str, dict]]:
    """What the LMS download names of `path` (its file name, its folder and the folder above)
    say: [(how, {"lms_id" | "participant" | "name" | "anonymous": value})]."""
    out: list[tuple[str, dict]] = []
    m = CANVAS_ANONYMOUS.match(path.name)
    if m:
        out.append(("Canvas download name", {"anonymous": m.group("anon")}))
    else:
        m = CANVAS_FILE.match(path.name)
        if m:
            out.append(("Canvas download name", {"lms_id": m.group("uid"), "slug": m.group("name")}))
    for part in [path.name] + [p.name for p in list(path.parents)[:2]]:
        m = MOODLE_PREFIX.match(part)
        if m:
            out.append(("Moodle download name", {"participant": m.group("pid"), "name": m.group("name").strip()}))
            break
    return out


def identify(path: Path, roster: Roster) -> Identification:
    """The roster student the file at `path` belongs to, from its LMS download name or a folder
    or file name the instructor gave it; never from the bundle's contents."""
    path = Path(path)
    found: list[tuple[str, RosterEntry]] = []
    reasons: list[str] = []
    for how, facts in lms_evidence(path):
        if "anonymous" in facts:
            reasons.append("it comes from an anonymous Canvas download, which names no student")
            continue
        if "lms_id" in facts:
            entry = roster.find("lms_id", facts["lms_id"])
            if entry:
                found.append((how, entry))
            else:
                reasons.append(f"its Canvas download name gives user id {facts['lms_id']}, "
                               "which is not in the roster's ID column")
            continue
        entry = roster.find("participant", facts["participant"])
        if entry is None and facts["name"].casefold() != "participant":
            named = roster.by_name(facts["name"])
            if len(named) == 1:
                entry = named[0]
            elif len(named) > 1:
                reasons.append(f"its Moodle download name gives {facts['name']!r}, and {len(named)} roster "
                               "students have that name (a roster from the grading worksheet, with its "
                               "Identifier column, tells them apart)")
                continue
        if entry:
            found.append((how, entry))
        else:
            reasons.append(f"its Moodle download name gives {facts['name']!r} (participant "
                           f"{facts['participant']}), who is not on the roster")
    for how, token in (("folder name", path.parent.name), ("file name", _stem(path.name))):
        entry = roster.by_token(token) if token else None
        if entry:
            found.append((how, entry))
    entries = {id(e): e for _, e in found}
    if len(entries) == 1:
        return Identification(found[0][1], how=found[0][0])
    if len(entries) > 1:
        said = "; ".join(f"the {how} says {e.label()}" for how, e in found)
        return Identification(None, why=f"its names disagree: {said}")
    if not reasons:
        reasons.append("nothing in its file or folder name names a roster student (an LMS download name, "
                       "or a folder named after the student's email or student id)")
    return Identification(None, why="; ".join(reasons))


def _stem(name: str) -> str:
    return name[:-4] if name.lower().endswith(".zip") else name


def download_name(path: Path) -> dict:
    """Without a roster: what an LMS download name says about a file (Moodle: the full name;
    Canvas: the user id), or {}."""
    for how, facts in lms_evidence(Path(path)):
        if "lms_id" in facts:
            return {"how": how, "lms_id": facts["lms_id"]}
        if "participant" in facts and facts["name"].casefold() != "participant":
            return {"how": how, "name": facts["name"]}
    return {}
