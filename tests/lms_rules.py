"""Independent checkers for what Moodle, Canvas and Gradescope accept.

Written from each platform's own source code and documentation (see docs/LMS_FORMATS.md,
which gives the versions read), not from `grader`: standard library only, no imports from
`grader`. Each function returns a list of problems, one message per problem, each naming
the rule it breaks; an empty list means the platform takes the file cleanly.

- moodle_csv_problems(text)          Moodle grade/import/csv
- canvas_csv_problems(text)          Canvas gradebook CSV import
- gradescope_results_problems(dict)  Gradescope results.json (+ our readability rules)

Source keys used in comments (full references in docs/LMS_FORMATS.md):
  M-LD   moodle grade/import/csv/classes/load_data.php (Moodle 4.5, gradeimport_csv 2024100700)
  M-CSV  moodle lib/csvlib.class.php csv_import_reader::load_csv_content
  M-ML   moodle lib/moodlelib.php unformat_float
  M-FORM moodle grade/import/grade_import_form.php
  C-IMP  canvas-lms app/models/gradebook_importer.rb (GradebookImporter)
  C-ASG  canvas-lms app/models/assignment.rb (Assignment.title_and_id)
  C-EXP  canvas-lms lib/gradebook_exporter.rb
  G-SPEC gradescope/autograder_samples docs/specs.md @ af5dee4c
  ASVS   OWASP ASVS 1.2.10 / CWE-1236 (CSV formula injection)

The `_selftest_*` functions at the bottom are plain functions (this module is not collected
by pytest); run them with `python tests/lms_rules.py`.
"""

from __future__ import annotations

import csv
import io
import math
import re
import time
from collections import Counter
from typing import Iterable

__all__ = ["moodle_csv_problems", "canvas_csv_problems", "gradescope_results_problems"]


# ------------------------------------------------------------------------------- shared

_BOM = "\ufeff"

# PHP is_numeric() on a string (PHP 8): optional sign, digits with an optional fraction (or
# a bare fraction), optional exponent; surrounding whitespace allowed. No hex, no inf/nan.
_PHP_NUMERIC = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*\Z")


def _looks_like_formula(cell: str, *, is_number) -> bool:
    """A cell a spreadsheet would evaluate as a formula (ASVS 1.2.10, CWE-1236): first
    character '=', '@', TAB or CR, or '+'/'-' not starting a plain number ('-' alone is a
    dash). Negative numbers such as '-3' are data, not formulas."""
    if not cell:
        return False
    first = cell[0]
    if first in "=@\t\r":
        return True
    if first in "+-" and cell.strip() != "-" and not is_number(cell):
        return True
    return False


def _parse_csv(text: str, delimiter: str) -> tuple[list[list[str]], str | None]:
    """Rows of a CSV text (blank lines dropped) and a parse error, if any."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                               quotechar='"', strict=True))
    except csv.Error as exc:
        return [], str(exc)
    return [r for r in rows if r and not (len(r) == 1 and r[0] == "")], None


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.strip().lower())


# ------------------------------------------------------------------------------- Moodle

# "Map to" choices and the user field each one matches (M-FORM grade_import_mapping_form,
# M-LD map_user_data_with_value): userid -> id, username, useridnumber -> idnumber,
# useremail -> email. The header names below are the ones a person would map to them;
# Moodle itself maps by hand, so these are our reading of the header, not a Moodle rule.
_MOODLE_IDENTIFIERS = {
    "email": "email", "emailaddress": "email", "useremail": "email",
    "username": "username",
    "idnumber": "idnumber", "useridnumber": "idnumber",
    "userid": "id", "id": "id",
}
# Profile/text columns of Moodle's own export (M-EXP) and common extras: never grades.
_MOODLE_TEXT_COLUMNS = {
    "firstname", "lastname", "fullname", "name", "institution", "department", "suspended",
    "group", "groups", "section", "phone", "phone1", "phone2", "city", "country", "address",
}
# Header of the export-time column (lang/en gradeexport_txt 'timeexported'), read by M-LD.
MOODLE_TIME_EXPORTED = "Last downloaded from this course"


def _moodle_numeric(cell: str, decsep: str = ".") -> bool:
    # M-ML unformat_float($value, true): trim, drop spaces, decsep -> '.', then is_numeric.
    v = cell.strip().replace(" ", "").replace(decsep, ".")
    return bool(_PHP_NUMERIC.match(v))


def moodle_csv_problems(text: str, *, delimiter: str = ",", decsep: str = ".",
                        min_grade: float = 0.0, max_grade: float | None = 100.0,
                        text_columns: Iterable[str] = (), now: float | None = None
                        ) -> list[str]:
    """Everything Moodle's CSV grade import would reject or mis-map in `text`.

    delimiter: the separator chosen on the upload form (default comma, M-FORM).
    decsep: the site language's decimal separator ('.' in English, M-ML).
    min_grade/max_grade: the target items' range; a new item gets 0..100 (M-LD
      insert_grade_record; pass max_grade=None when the site has `unlimitedgrades`).
    text_columns: extra header names that hold text (never grades).
    now: the time to judge `Last downloaded from this course` against (default: now).
    """
    problems: list[str] = []
    extra_text = {_norm(h) for h in text_columns}

    # M-CSV: a UTF-8 BOM is removed, newlines normalised, the whole content trimmed.
    if text.startswith(_BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        # M-CSV: no header row -> error 'csvemptyfile'.
        return ["moodle/empty-file: the file has no header row (csvlib 'csvemptyfile')"]

    rows, error = _parse_csv(text, delimiter)
    if error:
        # M-CSV reads with fgetcsv; an unparseable quote structure does not give a table.
        return [f"moodle/csv-syntax: the file is not valid CSV ({error})"]
    header = [h.strip() for h in rows[0]]
    data = rows[1:]

    # M-FORM: the separator is chosen by hand (default comma); a one-column header that
    # contains another separator means the file will be read as a single column.
    if len(header) == 1:
        for sep, name in ((";", "Semicolon"), ("\t", "Tab"), (":", "Colon"), (",", "Comma")):
            if sep != delimiter and sep in header[0]:
                problems.append(f"moodle/separator: the header is one column containing {sep!r};"
                                f" choose Separator '{name}' on the upload form")
                break

    # M-CSV: every row must have as many fields as the header, else 'csvweirdcolumns'
    # ("Invalid CSV file format - number of columns is not constant") and nothing loads.
    for n, row in enumerate(data, start=2):
        if len(row) != len(header):
            problems.append(f"moodle/column-count: row {n} has {len(row)} fields, the header"
                            f" has {len(header)} (csvlib 'csvweirdcolumns': file rejected)")
    if any(p.startswith("moodle/column-count") for p in problems):
        return problems

    # M-LD maps by column index, so Moodle does not reject blank or repeated header names;
    # but the mapping form labels each column only by its header (M-FORM), and a column
    # with an empty header becomes a new grade item with an empty name (M-LD
    # import_new_grade_item). Two columns mapped to one item abort ('cannotmapfield').
    for i, h in enumerate(header):
        if not h:
            problems.append(f"moodle/header-empty: column {i + 1} has no name; it cannot be told"
                            f" apart on the mapping form and a new item would have no name")
    counts = Counter(h.casefold() for h in header if h)
    for h, c in counts.items():
        if c > 1:
            problems.append(f"moodle/header-duplicate: {c} columns are named {h!r}; the mapping"
                            f" form cannot tell them apart (mapping both to one item aborts"
                            f" with 'cannotmapfield')")

    # M-LD prepare_import_grade_data: rows with one field or fewer are skipped, so a file
    # with a single column imports nothing.
    if len(header) <= 1:
        problems.append("moodle/no-grade-columns: a one-column file imports nothing (rows with"
                        " <= 1 field are skipped)")

    # Identifier column. M-LD check_user_exists: the value is looked up with MUST_EXIST —
    # an empty value or an unknown one fails ('usermappingerror'), several matches fail
    # ('usermappingerrormultipleusersfound'); id must be numeric; email and username match
    # case-insensitively. lang 'importcsv_help': "A fieldname containing user identity data
    # is required - either username or ID number or email address".
    id_columns = [(i, _MOODLE_IDENTIFIERS[_norm(h)]) for i, h in enumerate(header)
                  if _norm(h) in _MOODLE_IDENTIFIERS]
    usable = False
    id_defects: list[str] = []
    for i, field in id_columns:
        values = [row[i].strip() for row in data]
        defects = []
        empty = [n for n, v in enumerate(values, start=2) if not v]
        if empty:
            defects.append(f"empty in row(s) {_rows(empty)}")
        if field == "id":
            bad = [n for n, v in enumerate(values, start=2) if v and not re.fullmatch(r"\d+", v)]
            if bad:
                defects.append(f"not a numeric user id in row(s) {_rows(bad)}")
        key = (lambda v: v.casefold()) if field in ("email", "username") else (lambda v: v)
        dup = Counter(key(v) for v in values if v)
        repeated = sorted(v for v, c in dup.items() if c > 1)
        if repeated:
            defects.append(f"repeated value(s) {', '.join(map(repr, repeated[:5]))} (the later"
                           f" row silently overwrites the earlier)")
        if field == "email":
            bad = [n for n, v in enumerate(values, start=2) if v and "@" not in v]
            if bad:
                defects.append(f"not an email address in row(s) {_rows(bad)}")
        if defects:
            id_defects.append(f"column {header[i]!r} ({field}): " + "; ".join(defects))
        else:
            usable = True
    if not id_columns:
        problems.append("moodle/identifier-missing: no column holds a user identifier (email,"
                        " username, idnumber or user id); Moodle needs one to map rows to users"
                        " ('importcsv_help', 'usermappingerrorusernotfound')")
    elif not usable:
        for d in id_defects:
            problems.append(f"moodle/identifier-unusable: {d} ('usermappingerror' aborts the"
                            f" whole import)")

    # Which columns hold grades: everything except identifiers, profile/text columns,
    # feedback columns (M-FORM 'Feedback for <item>') and the export-time column.
    id_idx = {i for i, _ in id_columns}
    time_idx = [i for i, h in enumerate(header) if h == MOODLE_TIME_EXPORTED]
    grade_idx = [i for i, h in enumerate(header)
                 if i not in id_idx and i not in time_idx and h
                 and _norm(h) not in _MOODLE_TEXT_COLUMNS and _norm(h) not in extra_text
                 and "feedback" not in _norm(h)]
    if len(header) > 1 and not grade_idx:
        problems.append("moodle/no-grade-columns: no column holds grades")

    for n, row in enumerate(data, start=2):
        for i, raw in enumerate(row):
            cell = raw.strip()  # M-LD: every value is clean_param'd and trim()med.
            # ASVS 1.2.10 / CWE-1236: a formula-looking cell runs when the file is opened
            # in a spreadsheet; in a grade column it is also non-numeric ('badgrade').
            if _looks_like_formula(raw, is_number=lambda v: _moodle_numeric(v, decsep)):
                problems.append(f"moodle/formula-cell: row {n}, column {header[i]!r}: {raw!r}"
                                f" looks like a spreadsheet formula")
                continue
            if i not in grade_idx:
                continue
            # M-LD update_grade_item: '' and '-' mean "no grade".
            if cell in ("", "-"):
                continue
            # M-LD update_grade_item -> unformat_float($value, true) (M-ML): otherwise
            # 'badgrade' ("Supplied grade is invalid") and the import is aborted.
            if not _moodle_numeric(cell, decsep):
                hint = ""
                if decsep == "." and re.fullmatch(r"[+-]?\d+,\d+", cell):
                    hint = " (decimal comma: only valid on a site whose language uses ',')"
                elif cell.endswith("%"):
                    hint = " (percent signs are not accepted)"
                problems.append(f"moodle/grade-not-numeric: row {n}, column {header[i]!r}:"
                                f" {cell!r} is not a number{hint} ('badgrade' aborts the import)")
                continue
            # M-LD insert_grade_record: outside [grademin, grademax] fails with
            # 'gradevaluetoobig' / 'gradevaluetoosmall' unless $CFG->unlimitedgrades.
            value = float(cell.replace(" ", "").replace(decsep, "."))
            if max_grade is not None and value > max_grade:
                problems.append(f"moodle/grade-too-big: row {n}, column {header[i]!r}: {cell}"
                                f" > {max_grade:g} ('gradevaluetoobig' unless unlimitedgrades)")
            elif value < min_grade:
                problems.append(f"moodle/grade-too-small: row {n}, column {header[i]!r}: {cell}"
                                f" < {min_grade:g} ('gradevaluetoosmall')")

    # M-LD prepare_import_grade_data: with Force import off, the export-time column must be
    # an integer Unix time, not in the future, not more than a year old
    # ('invalidgradeexporteddate'), else the import aborts.
    now = time.time() if now is None else now
    for i in time_idx:
        for n, row in enumerate(data, start=2):
            v = row[i].strip()
            if not re.fullmatch(r"\d+", v) or int(v) > now or int(v) < now - 365 * 86400:
                problems.append(f"moodle/time-exported: row {n}: {MOODLE_TIME_EXPORTED!r} is"
                                f" {v!r}, not a Unix time within the last year"
                                f" ('invalidgradeexporteddate' unless Force import)")
    return problems


def _rows(ns: list[int]) -> str:
    return ", ".join(map(str, ns[:8])) + (" …" if len(ns) > 8 else "")


# ------------------------------------------------------------------------------- Canvas

# C-IMP NON_ASSIGNMENT_COLUMN_HEADERS, used as one substring regex (also catches
# "Unposted …" and per-group totals): matching columns are dropped, never assignments.
_CANVAS_NON_ASSIGNMENT = re.compile("Current Score|Current Points|Current Grade|Final Score|"
                                    "Final Points|Final Grade|Override Score|Override Grade|"
                                    "Override Status")
# C-ASG Assignment.title_and_id: /\A(.*)\s\((\d+)\)\z/
_CANVAS_TITLE_ID = re.compile(r"(.*)\s\((\d+)\)\Z", re.S)
# Grade cell forms we accept for a points assignment: number or percentage (C-IMP passes the
# string on to Assignment grading), 'EX' (excused, any case), '' or '-' (no score).
_CANVAS_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)%?\Z")


def _canvas_comma_converter(field: str) -> str:
    # C-IMP CSV::Converters[:decimal_comma_to_period]: a field matching ^-?[0-9.,]+%?$ is
    # split on ',' and '.', and only the last separator is kept as a decimal point.
    if re.fullmatch(r"-?[0-9.,]+%?", field):
        parts = re.split(r"[,.]", field)
        last = parts.pop()
        return last if not parts else "".join(parts) + "." + last
    return field


def _canvas_delimiter(text: str) -> str:
    # C-IMP identify_delimiter: for ';' and ',' take the field count if it is the same on
    # each of the first three lines; ';' wins only with more fields than ','.
    lines = text.splitlines()[:3]
    counts = {}
    for sep in (";", ","):
        try:
            sizes = {len(next(csv.reader([line], delimiter=sep), [])) for line in lines}
        except csv.Error:
            sizes = set()
        counts[sep] = sizes.pop() if len(sizes) == 1 else 0
    return ";" if counts[";"] > counts[","] else ","


def _canvas_identity_columns(header: list[str]) -> tuple[int, dict[str, int]] | str:
    """Number of leading identity columns and where the identifiers are, or why Canvas
    answers "Invalid header row" (C-IMP header?, row_has_student_headers?,
    update_column_count; course custom columns are not known here and assumed absent)."""
    def cell(i: int) -> str:
        return header[i] if i < len(header) else ""

    first_last = False
    if len(header) > 3 and "Student" in cell(0) and "ID" in cell(1):
        pass
    elif len(header) > 4 and "LastName" in cell(0) and "FirstName" in cell(1) and "ID" in cell(2):
        first_last = cell(0) == "LastName" and cell(1) == "FirstName"
    else:
        return ("the first fields must be 'Student', 'ID' (at least 4 fields in all):"
                f" got {header[:2]!r}")
    if first_last:
        return ("'LastName, FirstName' headers are accepted only where the account enables"
                " first/last name columns (gradebook_show_first_last_names)")
    where = {"id": 2 if cell(0) == "LastName" else 1}
    n = 3
    base = n
    if re.search(r"SIS\s+Login\s+ID", cell(base - 1)):
        where["sis_login_id"] = base - 1
        n += 1
    elif re.search(r"SIS\s+User\s+ID", cell(base - 1)) and re.search(r"SIS\s+Login\s+ID", cell(base)):
        extra = 1 if re.search(r"Integration\s+ID", cell(base + 1)) else 0
        where["sis_user_id"], where["sis_login_id"] = base - 1, base
        n += 2 + extra
        if re.search(r"Root\s+Account", cell(base + 1 + extra)):
            n += 1
    if "Section" not in cell(n - 1):
        layout = ", ".join(header[:n])
        return (f"the identity block must be 'Student, ID, [SIS User ID, SIS Login ID |"
                f" SIS Login ID,] Section': field {n} should contain 'Section' (got: {layout});"
                f" note 'SIS User ID' is only accepted when followed by 'SIS Login ID'")
    return n, where


def canvas_csv_problems(text: str, *, require_assignment_ids: bool = False,
                        custom_columns: Iterable[str] = ()) -> list[str]:
    """Everything Canvas's gradebook CSV import would reject, ignore or mis-map in `text`.

    require_assignment_ids: also report assignment headers without "(id)"; Canvas matches
      those by exact title or creates a new assignment (C-IMP parse_assignments).
    custom_columns: titles of the course's custom gradebook columns (not assignments).
    """
    problems: list[str] = []
    if text.startswith(_BOM):
        # Tolerated by Canvas's substring header checks (C-IMP); stripped here for parsing.
        text = text[1:]
    if not text.strip():
        return ["canvas/header: the file is empty (Canvas: 'Invalid header row')"]

    delimiter = _canvas_delimiter(text)
    rows, error = _parse_csv(text, delimiter)
    if error:
        # C-IMP create_from: CSV::MalformedCSVError -> "Gradebook import did not parse cleanly".
        return [f"canvas/csv-syntax: malformed CSV ({error}); Canvas fails the import"]
    # C-IMP csv_stream: lines of only ';', ',' and spaces are skipped.
    rows = [r for r in rows if not all(c.strip(" ;,") == "" for c in r)] or rows
    header = rows[0]

    # C-IMP process_header: the first row must be a valid header, else "Invalid header row".
    layout = _canvas_identity_columns(header)
    if isinstance(layout, str):
        if delimiter == ";":
            comma_rows, _ = _parse_csv(text, ",")
            if comma_rows and not isinstance(_canvas_identity_columns(comma_rows[0]), str):
                # C-IMP identify_delimiter: ',' counts only if the first three lines have the
                # same number of fields; otherwise the file is read as ';'-separated.
                return ["canvas/delimiter: the first three lines do not have the same number of"
                        " comma-separated fields, so Canvas reads the file as ';'-separated and"
                        " rejects the header (Canvas: 'Invalid header row')"]
        return [f"canvas/header: {layout} (Canvas: 'Invalid header row')"]
    n_id, where = layout

    custom = set(custom_columns)
    assign_cols: list[int] = []
    for i in range(n_id, len(header)):
        h = header[i]
        if h in custom:
            continue  # C-IMP process_custom_column_headers: matched by exact title.
        if _CANVAS_NON_ASSIGNMENT.search(h):
            # C-IMP strip_non_assignment_columns: dropped. Harmless for total columns, but an
            # assignment column whose title contains one of these words is lost.
            if _CANVAS_TITLE_ID.match(h):
                problems.append(f"canvas/assignment-ignored: column {h!r} looks like an assignment"
                                f" but its title contains a total-column name; Canvas drops it")
            continue
        assign_cols.append(i)

    if not assign_cols:
        problems.append("canvas/no-assignment-columns: no assignment column after the identity"
                        " columns; nothing would be imported")

    # C-ASG title_and_id + C-IMP parse_assignments: 'Title (id)' matches the assignment id;
    # otherwise the exact title; otherwise a NEW assignment is created.
    seen_headers: Counter = Counter(header[i] for i in assign_cols)
    for h, c in seen_headers.items():
        if c > 1:
            # C-IMP calc_assignment_indices uses original_header_row.index(header): the first
            # occurrence, so the other column's grades are never read.
            problems.append(f"canvas/assignment-duplicate: {c} columns are headed {h!r}; Canvas"
                            f" reads only the first")
    ids: dict[str, list[str]] = {}
    no_id: list[int] = []
    for i in assign_cols:
        h = header[i]
        if not h.strip():
            problems.append(f"canvas/assignment-header: column {i + 1} has no header; Canvas"
                            f" would try to create an assignment with an empty title")
            continue
        m = _CANVAS_TITLE_ID.match(h)
        if m:
            ids.setdefault(m.group(2), []).append(h)
        else:
            no_id.append(i)
            if require_assignment_ids:
                problems.append(f"canvas/assignment-no-id: column {h!r} is not 'Title (id)';"
                                f" Canvas matches it by exact title or creates a new assignment")
    for aid, hs in ids.items():
        if len(set(hs)) > 1:
            problems.append(f"canvas/assignment-duplicate-id: assignment id {aid} heads several"
                            f" columns ({', '.join(map(repr, sorted(set(hs))))})")

    # Points Possible row(s): C-IMP check_for_non_student_row -> process_pp. Optional; sets
    # points_possible; a cell matching /read\s+only/ makes the column read-only (dropped).
    pp_rows = [r for r in rows[1:] if r and "Points Possible" in r[0]]
    if len(pp_rows) > 1:
        problems.append("canvas/points-possible-repeated: more than one 'Points Possible' row;"
                        " the last one wins")
    readonly: set[int] = set()
    pp: dict[int, str] = {}
    for r in pp_rows:
        for i in assign_cols:
            v = r[i].strip() if i < len(r) else ""
            if re.search(r"read\s+only", v):
                readonly.add(i)
            elif v and not re.fullmatch(r"\d+(\.\d*)?|\.\d+", _canvas_comma_converter(v)):
                problems.append(f"canvas/points-possible: {header[i]!r}: {v!r} is not a"
                                f" non-negative number")
            else:
                pp[i] = v
    for i in no_id:
        if i not in readonly and not pp.get(i):
            problems.append(f"canvas/new-assignment-without-points: column {header[i]!r} has no"
                            f" '(id)' and no Points Possible value; if no assignment has exactly"
                            f" this title Canvas creates one with no points possible")

    # Student rows.
    def skipped(r: list[str]) -> bool:
        # C-IMP: rows whose non-empty cells are all 'Muted' / 'Manual Posting…' are skipped.
        return all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", c, re.I) for c in r)

    seen: dict[str, dict[str, int]] = {"id": {}, "sis_user_id": {}, "sis_login_id": {}}
    for n, r in enumerate(rows[1:], start=2):
        if (r and "Points Possible" in r[0]) or skipped(r):
            continue
        if len(r) != len(header):
            # Ruby's CSV does not require equal lengths: missing cells read as nil (no grade),
            # extra cells are ignored — either way grades land in the wrong place or vanish.
            problems.append(f"canvas/column-count: row {n} has {len(r)} fields, the header has"
                            f" {len(header)}")
        def get(i: int) -> str:
            return r[i].strip() if i < len(r) else ""
        # C-IMP process_student: ID via to_i; else SIS User ID / SIS Login ID in the root
        # account; else the name (name or sortable_name); else an unknown (missing) student.
        sid = get(where["id"])
        if sid and not re.fullmatch(r"\d+", sid):
            problems.append(f"canvas/student-id: row {n}: ID {sid!r} is not a Canvas user id"
                            f" (digits); Canvas falls back to SIS ids, then the name")
        keys = {k: get(i) for k, i in where.items() if get(i)}
        if not (sid and re.fullmatch(r"\d+", sid)) and not keys.get("sis_user_id") \
                and not keys.get("sis_login_id"):
            problems.append(f"canvas/student-unidentified: row {n} ({get(0)!r}) has no ID or SIS"
                            f" id; Canvas can only match it by name, else it is not imported")
        for k, v in keys.items():
            if v in seen[k]:
                problems.append(f"canvas/student-duplicate: rows {seen[k][v]} and {n} have the same"
                                f" {k} {v!r}")
            else:
                seen[k][v] = n
        for i in range(len(r)):
            raw = r[i]
            cell = raw.strip()
            if _looks_like_formula(raw, is_number=lambda v: bool(_CANVAS_NUMBER.match(v.strip()))):
                # ASVS 1.2.10 / CWE-1236; Canvas's own exporter quotes names starting with '='
                # (C-EXP STARTS_WITH_EQUAL).
                problems.append(f"canvas/formula-cell: row {n}, column {_col(header, i)!r}: {raw!r}"
                                f" looks like a spreadsheet formula")
                continue
            if i not in assign_cols or i in readonly:
                continue
            if cell in ("", "-") or cell.casefold() == "ex":
                continue  # C-IMP no_score? / 'EX' = excused (any case).
            converted = _canvas_comma_converter(cell)
            # A lone decimal comma ('7,5' -> '7.5') is read as meant; a thousands separator
            # is not ('1,000' -> '1.000', '1,234.5' -> '1234.5' but '1.234,5' -> '1234.5').
            if "," in cell and converted != cell and (
                    len(re.findall(r"[,.]", cell)) > 1 or re.search(r",\d{3}(?!\d)", cell)):
                problems.append(f"canvas/grade-comma: row {n}, column {header[i]!r}: Canvas reads"
                                f" {cell!r} as {converted!r} (its decimal_comma_to_period"
                                f" converter keeps only the last separator as the decimal point)")
                continue
            if not _CANVAS_NUMBER.match(converted):
                problems.append(f"canvas/grade-not-numeric: row {n}, column {header[i]!r}: {cell!r}"
                                f" is not a number, percentage, 'EX', '-' or blank")
    return problems


def _col(header: list[str], i: int) -> str:
    return header[i] if i < len(header) else f"#{i + 1}"


# --------------------------------------------------------------------------- Gradescope

# G-SPEC "Output format": the documented keys.
_GS_TOP_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format",
                "test_name_format", "visibility", "stdout_visibility", "extra_data", "tests",
                "leaderboard"}
_GS_TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output",
                 "output_format", "tags", "visibility", "extra_data"}
# G-SPEC "Controlling Test Case Visibility" / "Controlling standard output visibility".
_GS_VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")
# G-SPEC "Output String Formatting".
_GS_FORMATS = ("text", "html", "simple_format", "md", "ansi")
# Our readability rule: point-carrying tests must let students see their total (G-SPEC:
# "If test cases are hidden, students will not be able to see their total score").
_GS_TOTAL_VISIBLE = ("visible", "after_published")


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def gradescope_results_problems(results: dict) -> list[str]:
    """Spec violations and readability problems in a Gradescope results.json object."""
    problems: list[str] = []
    if not isinstance(results, dict):
        return ["gradescope/type: results.json must be a JSON object"]

    # G-SPEC: documented top-level keys only.
    for k in sorted(set(results) - _GS_TOP_KEYS):
        problems.append(f"gradescope/unknown-key: top-level key {k!r} is not in the spec")

    # Numbers must be finite: JSON has no NaN/Infinity (RFC 8259 §6), so json.dumps would
    # write a file Gradescope cannot parse ("The autograder failed to execute correctly").
    def finite(where: str, v) -> None:
        if _is_number(v) and not math.isfinite(v):
            problems.append(f"gradescope/not-finite: {where} is {v!r}; JSON has no NaN/Infinity")

    has_top_score = "score" in results
    if has_top_score:
        if not _is_number(results["score"]):
            problems.append(f"gradescope/type: top-level score must be a number, got"
                            f" {results['score']!r}")
        finite("top-level score", results["score"])

    # G-SPEC: execution_time "optional, seconds"; gradescope-utils writes a numeric string.
    if "execution_time" in results:
        et = results["execution_time"]
        if not (_is_number(et) or (isinstance(et, str) and _is_float(et))):
            problems.append(f"gradescope/type: execution_time must be a number of seconds, got {et!r}")
        finite("execution_time", et)

    for key in ("output",):
        if key in results and not isinstance(results[key], str):
            problems.append(f"gradescope/type: top-level {key} must be a string")
    for key in ("output_format", "test_output_format", "test_name_format"):
        if key in results and results[key] not in _GS_FORMATS:
            problems.append(f"gradescope/format: {key} {results[key]!r} is not one of"
                            f" {', '.join(_GS_FORMATS)}")
    for key in ("visibility", "stdout_visibility"):
        if key in results and results[key] not in _GS_VISIBILITY:
            problems.append(f"gradescope/visibility: top-level {key} {results[key]!r} is not one"
                            f" of {', '.join(_GS_VISIBILITY)}")
    if "extra_data" in results and not isinstance(results["extra_data"], dict):
        problems.append("gradescope/type: extra_data must be a JSON object")

    # G-SPEC: "tests" optional, but required if no top-level score; each test's score is
    # "optional, but required if not on top level submission".
    tests = results.get("tests")
    if tests is None:
        tests = []
        if not has_top_score:
            problems.append("gradescope/score-missing: neither a top-level score nor tests")
    elif not isinstance(tests, list):
        problems.append("gradescope/type: tests must be a list")
        tests = []

    default_vis = results.get("visibility", "visible")
    total = 0.0
    for n, t in enumerate(tests, start=1):
        label = f"test {n}" + (f" ({t.get('name')!r})" if isinstance(t, dict) and t.get("name") else "")
        if not isinstance(t, dict):
            problems.append(f"gradescope/type: {label} must be a JSON object")
            continue
        for k in sorted(set(t) - _GS_TEST_KEYS):
            problems.append(f"gradescope/unknown-key: {label} has key {k!r}, not in the spec")
        for k in ("score", "max_score"):
            if k in t:
                if not _is_number(t[k]):
                    problems.append(f"gradescope/type: {label} {k} must be a number, got {t[k]!r}")
                finite(f"{label} {k}", t[k])
        if "score" not in t and not has_top_score:
            problems.append(f"gradescope/score-missing: {label} has no score and there is no"
                            f" top-level score")
        # G-SPEC "Test case status": "passed" or "failed".
        if "status" in t and t["status"] not in ("passed", "failed"):
            problems.append(f"gradescope/status: {label} status {t['status']!r} is not 'passed'"
                            f" or 'failed'")
        for k in ("name", "output", "number"):
            if k in t and not isinstance(t[k], str):
                problems.append(f"gradescope/type: {label} {k} must be a string")
        for k in ("name_format", "output_format"):
            if k in t and t[k] not in _GS_FORMATS:
                problems.append(f"gradescope/format: {label} {k} {t[k]!r} is not one of"
                                f" {', '.join(_GS_FORMATS)}")
        if "tags" in t and not (isinstance(t["tags"], list) and all(isinstance(x, str) for x in t["tags"])):
            problems.append(f"gradescope/type: {label} tags must be a list of strings")
        if "extra_data" in t and not isinstance(t["extra_data"], dict):
            problems.append(f"gradescope/type: {label} extra_data must be a JSON object")
        if "visibility" in t and t["visibility"] not in _GS_VISIBILITY:
            problems.append(f"gradescope/visibility: {label} visibility {t['visibility']!r} is not"
                            f" one of {', '.join(_GS_VISIBILITY)}")

        score = t.get("score", 0.0) if _is_number(t.get("score", 0.0)) else 0.0
        max_score = t.get("max_score", 0.0) if _is_number(t.get("max_score", 0.0)) else 0.0
        total += score if math.isfinite(score) else 0.0
        carries_points = max_score > 0 or score != 0
        # G-SPEC: a test's own visibility overrides the top-level one; default "visible".
        vis = t.get("visibility", default_vis)
        # Readability rule (ours), from G-SPEC "If test cases are hidden, students will not
        # be able to see their total score" and commit 47aed8f ("All points contribute to
        # the total score"): point-carrying tests must be visible or after_published.
        if carries_points and vis not in _GS_TOTAL_VISIBLE:
            problems.append(f"gradescope/points-hidden: {label} carries points (max_score"
                            f" {max_score:g}, score {score:g}) but its visibility is {vis!r};"
                            f" students cannot see their total score")

    # G-SPEC: the top-level score "Overrides total of tests if specified". Our readability
    # rule: when both are given they agree, so the visible tests add up to the grade.
    if has_top_score and _is_number(results["score"]) and tests and \
            any(isinstance(t, dict) and "score" in t for t in tests):
        if math.isfinite(results["score"]) and abs(results["score"] - total) > 1e-6:
            problems.append(f"gradescope/score-mismatch: top-level score {results['score']:g}"
                            f" overrides the tests' total {total:g}; they must agree")

    # G-SPEC "leaderboard" / docs/leaderboards.md: list of {name, value, order asc|desc}.
    if "leaderboard" in results:
        lb = results["leaderboard"]
        if not isinstance(lb, list):
            problems.append("gradescope/leaderboard: leaderboard must be a list")
        else:
            for n, e in enumerate(lb, start=1):
                if not isinstance(e, dict) or not isinstance(e.get("name"), str) or "value" not in e:
                    problems.append(f"gradescope/leaderboard: entry {n} needs a string name and a value")
                    continue
                if not (_is_number(e["value"]) or isinstance(e["value"], str)):
                    problems.append(f"gradescope/leaderboard: entry {n} value must be a number or string")
                finite(f"leaderboard entry {n} value", e["value"])
                if "order" in e and e["order"] not in ("asc", "desc"):
                    problems.append(f"gradescope/leaderboard: entry {n} order {e['order']!r} is not"
                                    f" 'asc' or 'desc'")
                for k in sorted(set(e) - {"name", "value", "order"}):
                    problems.append(f"gradescope/unknown-key: leaderboard entry {n} has key {k!r}")
    return problems


def _is_float(s: str) -> bool:
    try:
        return math.isfinite(float(s))
    except ValueError:
        return False


# ---------------------------------------------------------------------------- self-tests

def _has(problems: list[str], rule: str) -> bool:
    return any(p.startswith(rule) for p in problems)


def _selftest_moodle() -> None:
    now = 1_700_000_000
    clean = ("Email address,First name,Last name,exercise1,exercise2,exercise1 (Feedback)\n"
             "a@x.org,Ann,Lee,10,7.5,well done\n"
             "b@x.org,Bo,Kim,-,,\n")
    assert moodle_csv_problems(clean, now=now) == [], moodle_csv_problems(clean, now=now)
    assert moodle_csv_problems(_BOM + clean, now=now) == []
    assert moodle_csv_problems(clean.replace("\n", "\r\n"), now=now) == []

    assert _has(moodle_csv_problems(""), "moodle/empty-file")
    p = moodle_csv_problems("Name,exercise1\nAnn,10\n")
    assert _has(p, "moodle/identifier-missing"), p
    p = moodle_csv_problems("email,exercise1\na@x.org,10\n,8\n")
    assert _has(p, "moodle/identifier-unusable"), p
    p = moodle_csv_problems("username,exercise1\nann,10\nANN,8\n")
    assert _has(p, "moodle/identifier-unusable"), p  # case-insensitive duplicate
    p = moodle_csv_problems("id,exercise1\nabc,10\n")
    assert _has(p, "moodle/identifier-unusable"), p
    # One good identifier column is enough.
    assert moodle_csv_problems("username,idnumber,exercise1\nann,,10\nbo,,8\n") == []

    p = moodle_csv_problems("email,exercise1\na@x.org,ten\nb@x.org,85%\nc@x.org,\"7,5\"\n")
    assert sum(x.startswith("moodle/grade-not-numeric") for x in p) == 3, p
    assert moodle_csv_problems("email,ex\na@x.org,\"7,5\"\n", decsep=",") == []
    assert moodle_csv_problems("email,ex\na@x.org,1e2\nb@x.org,+2\nc@x.org, 12 \n") == []
    p = moodle_csv_problems("email,ex\na@x.org,=1+2\nb@x.org,-3\n")
    assert _has(p, "moodle/formula-cell") and len(p) == 2 and _has(p, "moodle/grade-too-small"), p
    p = moodle_csv_problems("email,comment\na@x.org,@SUM(A1)\n")
    assert _has(p, "moodle/formula-cell"), p
    p = moodle_csv_problems("email,ex\na@x.org,101\n")
    assert _has(p, "moodle/grade-too-big"), p
    assert moodle_csv_problems("email,ex\na@x.org,101\n", max_grade=None) == []
    p = moodle_csv_problems("email,ex,ex\na@x.org,1,2\n")
    assert _has(p, "moodle/header-duplicate"), p
    p = moodle_csv_problems("email,ex\na@x.org,1,2\n")
    assert _has(p, "moodle/column-count"), p
    p = moodle_csv_problems("email;ex\na@x.org;1\n")
    assert _has(p, "moodle/separator"), p
    assert moodle_csv_problems("email;ex\na@x.org;1\n", delimiter=";") == []
    ok = f"email,ex,{MOODLE_TIME_EXPORTED}\na@x.org,1,{now - 3600}\n"
    assert moodle_csv_problems(ok, now=now) == []
    old = f"email,ex,{MOODLE_TIME_EXPORTED}\na@x.org,1,{now - 400 * 86400}\n"
    assert _has(moodle_csv_problems(old, now=now), "moodle/time-exported")


def _selftest_canvas() -> None:
    clean = ("Student,ID,SIS User ID,SIS Login ID,Section,exercise1 (101),exercise2 (102),Current Score\n"
             "    Points Possible,,,,,10,10,(read only)\n"
             "\"Lee, Ann\",11,s1,ann,Sec A,10,EX,85\n"
             "\"Kim, Bo\",12,s2,bo,Sec A,7.5,-,70\n")
    assert canvas_csv_problems(clean) == [], canvas_csv_problems(clean)
    assert canvas_csv_problems(_BOM + clean) == []
    minimal = "Student,ID,Section,exercise1 (101)\nAnn,11,,10\n"
    assert canvas_csv_problems(minimal) == [], canvas_csv_problems(minimal)
    assert canvas_csv_problems("Student,ID,SIS Login ID,Section,q (5)\nAnn,,ann,,1\n") == []
    semi = "Student;ID;Section;exercise1 (101)\nAnn;11;;7,5\n"
    assert canvas_csv_problems(semi) == [], canvas_csv_problems(semi)

    assert _has(canvas_csv_problems("Name,ID,Section,ex (1)\nAnn,11,,1\n"), "canvas/header")
    # SIS User ID without SIS Login ID: Section expected at field 3.
    assert _has(canvas_csv_problems("Student,ID,SIS User ID,Section,ex (1)\nAnn,11,s1,,1\n"),
                "canvas/header")
    assert _has(canvas_csv_problems("Student,ID,Section\nAnn,11,\n"), "canvas/header")  # <4 fields

    p = canvas_csv_problems("Student,ID,Section,ex (1)\nAnn,11,,\"1,000\"\n")
    assert _has(p, "canvas/grade-comma"), p
    p = canvas_csv_problems("Student,ID,Section,ex (1)\nAnn,11,,A+\nBo,12,,=1+1\n")
    assert _has(p, "canvas/grade-not-numeric") and _has(p, "canvas/formula-cell"), p
    p = canvas_csv_problems("Student,ID,Section,ex (1),ex (1)\nAnn,11,,1,2\n")
    assert _has(p, "canvas/assignment-duplicate"), p
    p = canvas_csv_problems("Student,ID,Section,exercise1\nAnn,11,,1\n")
    assert _has(p, "canvas/new-assignment-without-points"), p
    ok_new = "Student,ID,Section,exercise1\nPoints Possible,,,10\nAnn,11,,1\n"
    assert canvas_csv_problems(ok_new) == []
    assert _has(canvas_csv_problems(ok_new, require_assignment_ids=True), "canvas/assignment-no-id")
    p = canvas_csv_problems("Student,ID,Section,ex (1)\nAnn,abc,,1\nBo,,,2\nCy,13,,3\nDi,13,,4\n")
    assert _has(p, "canvas/student-id") and _has(p, "canvas/student-unidentified") \
        and _has(p, "canvas/student-duplicate"), p
    p = canvas_csv_problems("Student,ID,Section,ex (1)\nAnn,11,,1\nBo,12,,2\nCy,13,,3,9\n")
    assert _has(p, "canvas/column-count"), p
    # Unequal comma counts within the first three lines make Canvas pick ';'.
    p = canvas_csv_problems("Student,ID,Section,ex (1)\nAnn,11,,1,9\n")
    assert _has(p, "canvas/delimiter"), p
    p = canvas_csv_problems("Student,ID,Section,Final Score Project (7)\nAnn,11,,1\n")
    assert _has(p, "canvas/assignment-ignored"), p
    p = canvas_csv_problems('Student,ID,Section,ex (1)\n"Ann,11,,1\n')
    assert _has(p, "canvas/csv-syntax"), p


def _selftest_gradescope() -> None:
    clean = {
        "score": 7.5, "execution_time": 3.2, "output": "done", "visibility": "visible",
        "stdout_visibility": "hidden", "output_format": "simple_format",
        "tests": [
            {"name": "exercise1", "number": "1", "score": 5.0, "max_score": 5.0, "status": "passed",
             "output": "ok", "visibility": "visible"},
            {"name": "exercise2", "number": "2", "score": 2.5, "max_score": 5.0, "status": "failed",
             "output": "shape", "visibility": "after_published", "tags": ["autograd"]},
            {"name": "details", "output": "hidden detail", "visibility": "after_due_date"},
        ],
        "leaderboard": [{"name": "loss", "value": 0.12, "order": "asc"}],
    }
    assert gradescope_results_problems(clean) == [], gradescope_results_problems(clean)
    assert gradescope_results_problems({"score": 0.0}) == []
    assert gradescope_results_problems({"tests": [{"score": 1, "max_score": 1}]}) == []
    assert gradescope_results_problems({"score": 1, "execution_time": "0.25"}) == []

    assert _has(gradescope_results_problems({}), "gradescope/score-missing")
    assert _has(gradescope_results_problems({"tests": [{"name": "a"}]}), "gradescope/score-missing")
    assert _has(gradescope_results_problems([]), "gradescope/type")
    p = gradescope_results_problems({"score": 10, "tests": [{"score": 5, "max_score": 5}]})
    assert _has(p, "gradescope/score-mismatch"), p
    p = gradescope_results_problems({"score": 5, "tests": [
        {"score": 5, "max_score": 5}, {"score": 0, "max_score": 3, "visibility": "hidden"}]})
    assert _has(p, "gradescope/points-hidden"), p
    # Top-level visibility is inherited.
    p = gradescope_results_problems({"score": 1, "visibility": "after_due_date",
                                     "tests": [{"score": 1, "max_score": 1}]})
    assert _has(p, "gradescope/points-hidden"), p
    p = gradescope_results_problems({"score": 1, "visibility": "sometimes", "stdout_visibility": 1,
                                     "grade": 1, "output_format": "rtf",
                                     "tests": [{"score": 1, "max_score": 1, "status": "ok",
                                                "weight": 2, "tags": "x", "name_format": "xml"}]})
    for rule in ("gradescope/visibility", "gradescope/unknown-key", "gradescope/format",
                 "gradescope/status", "gradescope/type"):
        assert _has(p, rule), (rule, p)
    p = gradescope_results_problems({"score": float("nan")})
    assert _has(p, "gradescope/not-finite"), p
    p = gradescope_results_problems({"score": True})
    assert _has(p, "gradescope/type"), p
    p = gradescope_results_problems({"score": 1, "leaderboard": [{"name": "x", "value": 1,
                                                                  "order": "up"}]})
    assert _has(p, "gradescope/leaderboard"), p


if __name__ == "__main__":
    for _name, _fn in sorted(globals().items()):
        if _name.startswith("_selftest_") and callable(_fn):
            _fn()
            print(f"{_name}: ok")
