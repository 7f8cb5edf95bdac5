"""Collected submission bundles (migrations 0003_instructor, 0005_roster_and_bundle_log): the
roster's students and whom a bundle belongs to, importing one and replacing the one before
(logged, and undoable), the regrade jobs they give, and the rows a student's own bundle
carries (grade submit)."""

from __future__ import annotations

import json

from grader.engine.results import now
from grader.errors import UsageProblem


def _fold(key: str, value: str) -> str:
    """Emails and logins compare without case; ids exactly."""
    return value.casefold() if key in ("email", "login") else value


def _unique_name(entry: dict, names: dict) -> str:
    """The roster's name, told apart from a different student who already has it."""
    name = entry["name"]
    tag = entry.get("email") or entry.get("student_id") or entry.get("lms_id") or entry.get("login")
    candidate, n = name, 1
    while candidate in names:
        n += 1
        candidate = f"{name} <{tag}>" if n == 2 and tag else f"{name} ({n})"
    return candidate


def _insert(db, table: str, row: dict) -> int:
    """Insert one row (our own table and column names); its rowid. Plain SQL: collecting
    thousands of bundles spends its time here."""
    sql = f"insert into {table} ({', '.join(row)}) values ({', '.join('?' * len(row))})"
    return db.execute(sql, list(row.values())).lastrowid


def _insert_many(db, table: str, rows) -> None:
    rows = list(rows)
    if rows:
        cols = list(rows[0])
        db.conn.executemany(f"insert into {table} ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                            [[r[c] for c in cols] for r in rows])


def _json_list(text: str | None) -> list:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


class BundleRows:
    """Methods of grader.store.Store for bundles, bundle_files and bundle_rows."""

    # -- grade collect: who a bundle belongs to ----------------------------------------------
    def bundle_by_sha(self, sha256: str) -> dict | None:
        """The bundle already collected with this SHA-256: {id, student, student_id, status,
        identified_by}, or None."""
        row = self.db.execute("""select b.id, s.name, s.id, b.status, coalesce(b.identified_by, '') from bundles b
                                 join students s on s.id = b.student_id where b.sha256 = ?""", [sha256]).fetchone()
        keys = ("id", "student", "student_id", "status", "identified_by")
        return dict(zip(keys, row)) if row else None

    def upsert_roster(self, entries: list[dict]) -> list[int]:
        """Make the roster's students the database's, in one transaction: each entry ({name,
        email, student_id, lms_id, login, section}) is matched to an existing student by email,
        student id, LMS id or login (else by name, where nothing contradicts it) or created; the
        roster's values win, and a value another student held is taken from them. Students not
        on this roster are marked off it. Returns the students' ids, in the entries' order."""
        keys = ("email", "student_id", "lms_id", "login")
        with self.transaction() as db:
            people = {r[0]: {"id": r[0], "name": r[1], "email": r[2] or "", "student_id": r[3] or "",
                             "lms_id": r[4] or "", "login": r[5] or ""}
                      for r in db.execute("select id, name, email, student_id, lms_id, login from students")}
            index: dict[str, dict[str, int]] = {k: {} for k in keys}
            names: dict[str, int] = {}
            for p in people.values():
                names[p["name"]] = p["id"]
                for k in keys:
                    if p[k]:
                        index[k][_fold(k, p[k])] = p["id"]
            db.execute("update students set on_roster = 0 where on_roster = 1")
            ids: list[int] = []
            taken: set[int] = set()
            for e in entries:
                found = None
                for k in keys:
                    holder = index[k].get(_fold(k, e[k])) if e.get(k) else None
                    if holder is not None and holder not in taken:
                        found = holder
                        break
                if found is None and names.get(e["name"]) is not None and names[e["name"]] not in taken:
                    p = people[names[e["name"]]]
                    if not any(e.get(k) and p[k] and _fold(k, e[k]) != _fold(k, p[k]) for k in keys):
                        found = p["id"]
                if found is None:
                    name = _unique_name(e, names)
                    found = _insert(db, "students", {"name": name, "created_at": now()})
                    people[found] = {"id": found, "name": name, "email": "", "student_id": "", "lms_id": "",
                                     "login": ""}
                    names[name] = found
                elif e["name"] != people[found]["name"] and e["name"] not in names:
                    del names[people[found]["name"]]
                    people[found]["name"] = e["name"]
                    names[e["name"]] = found
                    db.execute("update students set name = ? where id = ?", [e["name"], found])
                for k in keys:
                    value = e.get(k) or ""
                    holder = index[k].get(_fold(k, value)) if value else None
                    if holder is not None and holder != found:  # the roster says it is this student's
                        db.execute(f"update students set {k} = '' where id = ?", [holder])
                        people[holder][k] = ""
                    if people[found][k]:
                        index[k].pop(_fold(k, people[found][k]), None)
                    people[found][k] = value
                    if value:
                        index[k][_fold(k, value)] = found
                db.execute("""update students set email = ?, student_id = ?, lms_id = ?, login = ?, section = ?,
                              on_roster = 1 where id = ?""",
                           [e.get("email") or "", e.get("student_id") or "", e.get("lms_id") or "",
                            e.get("login") or "", e.get("section") or "", found])
                taken.add(found)
                ids.append(found)
            return ids

    def student_for_bundle(self, *, name: str, email: str = "", student_id: str = "", lms_id: str = "",
                           name_is_known: bool = False) -> tuple[int | None, str]:
        """The student a bundle collected without a roster belongs to: (id, note), or (None, why not).

        lms_id (from a Canvas download name) decides where given; else the name: the LMS
        download's (name_is_known) or the bundle's own claim. A claimed email or student id that
        belongs to another student, or contradicts the one this student already has, refuses a
        claimed identity (the bundle is not filed), and beside a known one is ignored (noted)."""
        with self.transaction() as db:
            if lms_id:
                row = db.execute("select id, name, email, student_id from students where lms_id = ?", [lms_id]).fetchone()
            else:
                row = db.execute("select id, name, email, student_id from students where name = ?", [name]).fetchone()
            sid = row[0] if row else None
            have = {"email": (row[2] or "") if row else "", "student_id": (row[3] or "") if row else ""}
            claims = {"email": email, "student_id": student_id}
            notes = []
            for key, value in list(claims.items()):
                if not value:
                    continue
                sql = (f"select id, name from students where lower({key}) = lower(?)" if key == "email"
                       else f"select id, name from students where {key} = ?")
                other = db.execute(sql, [value]).fetchone()
                label = key.replace("_", " ")
                clash = None
                if have[key] and _fold(key, have[key]) != _fold(key, value):
                    clash = f"it claims {label} {value!r}, but {row[1]} already has {have[key]!r}"
                elif other is not None and other[0] != sid:
                    clash = f"its {label} {value!r} belongs to {other[1]}"
                if clash:
                    if not (name_is_known or lms_id):
                        return None, clash
                    notes.append(f"{clash} (not recorded)")
                    claims[key] = ""
            if sid is None:
                new_name = name
                if db.execute("select 1 from students where name = ?", [new_name]).fetchone():
                    new_name = f"{name} (Canvas {lms_id})" if lms_id else name
                sid = _insert(db, "students", {"name": new_name, "created_at": now(), "lms_id": lms_id or None})
            for key, value in claims.items():
                if value and not have[key]:
                    db.execute(f"update students set {key} = ? where id = ?", [value, sid])
            return sid, "; ".join(notes)

    def roster_students_without_bundle(self) -> list[dict]:
        """The students on the latest roster who have no current bundle: {name, email, student_id}."""
        return [{"name": r[0], "email": r[1] or "", "student_id": r[2] or ""} for r in self.db.execute(
            """select s.name, s.email, s.student_id from students s where s.on_roster = 1 and not exists
               (select 1 from bundles b where b.student_id = s.id and b.status = 'current') order by s.name""")]

    def student_identities(self) -> dict[str, dict]:
        """{name: {email, student_id, lms_id, login, section, on_roster}} of every student (gradebooks)."""
        return {r[0]: {"email": r[1] or "", "student_id": r[2] or "", "lms_id": r[3] or "", "login": r[4] or "",
                       "section": r[5] or "", "on_roster": bool(r[6])}
                for r in self.db.execute("select name, email, student_id, lms_id, login, section, on_roster "
                                         "from students")}

    # -- grade collect: importing -----------------------------------------------------------
    def collect_bundle(self, bundle, student_id: int, *, identified_by: str, by: str) -> dict:
        """Import one validated bundle (grader.instructor.bundle.Bundle) for the student
        `student_id` in a single transaction, and make it their current bundle.

        Idempotent by the bundle's SHA-256 (a bundle withdrawn by an undo is filed again, under
        the student given now). The bundle collected last is the current one, whatever date it
        claims: the bundle the student had before is replaced (its imported rows removed; its
        record and contents kept, so undo_bundle_event can put it back), and every change is
        logged in bundle_events with who and when. Returns {status: collected | replaced |
        recollected | unchanged, bundle_id, student, event, replaced: {id, file_name,
        collected_at, created_at} | None, attempts, quiz_attempts}."""
        with self.transaction() as db:
            found = db.execute("select b.id, s.name, b.status from bundles b join students s on s.id = b.student_id "
                               "where b.sha256 = ?", [bundle.sha256]).fetchone()
            if found and found[2] != "withdrawn":
                return {"status": "unchanged", "bundle_id": found[0], "student": found[1]}
            manifest = bundle.manifest
            if found:
                bundle_id = found[0]
                db.execute("update bundles set student_id = ?, identified_by = ?, collected_at = ? where id = ?",
                           [student_id, identified_by, now(), bundle_id])
            else:
                bundle_id = _insert(db, "bundles", {
                    "student_id": student_id, "sha256": bundle.sha256, "created_at": manifest.created_at,
                    "collected_at": now(), "grader_version": manifest.grader_version,
                    "file_name": bundle.path.name[:255], "size": bundle.size, "status": "new",
                    "superseded_by": None, "identified_by": identified_by, "claimed_student": manifest.student,
                    "claimed_email": manifest.email, "claimed_student_id": manifest.student_id,
                })
                _insert_many(db, "bundle_files", [
                    {"bundle_id": bundle_id, "exercise": exercise,
                     "path": manifest.exercises[exercise].path,
                     "sha256": manifest.files[manifest.exercises[exercise].path].sha256,
                     "size": len(data), "source": data.decode("utf-8")}
                    for exercise, data in bundle.sources.items()
                ])
                _insert(db, "bundle_payloads", {"bundle_id": bundle_id,
                                                "progress": json.dumps(bundle.progress.model_dump(mode="json")),
                                                "quizzes": json.dumps(bundle.quizzes.model_dump(mode="json"))})
            replaced, attempts, quiz_attempts = self._make_current(db, student_id, bundle_id)
            action = "recollected" if found else ("replaced" if replaced else "collected")
            event = _insert(db, "bundle_events", {
                "at": now(), "by": by, "action": action, "student_id": student_id, "bundle_id": bundle_id,
                "previous_id": replaced["id"] if replaced else None, "undoes": None,
                "detail": f"{bundle.path.name[:255]} (student from {identified_by})",
            })
            student = db.execute("select name from students where id = ?", [student_id]).fetchone()[0]
            return {"status": action, "bundle_id": bundle_id, "student": student, "event": event,
                    "replaced": replaced, "attempts": attempts, "quiz_attempts": quiz_attempts}

    def move_bundle(self, bundle_id: int, student_id: int, *, identified_by: str, by: str) -> dict:
        """File a bundle that was filed under its own claim under the student the roster names
        instead: it leaves the claimed student (logged for them) and becomes the new student's
        current bundle (logged, undoable). Returns what collect_bundle returns, status "moved"."""
        with self.transaction() as db:
            old_student, status, file_name = db.execute(
                "select student_id, status, file_name from bundles where id = ?", [bundle_id]).fetchone()
            if status == "current":
                self._delete_imported(db, bundle_id)
            db.execute("update bundles set status = 'withdrawn', student_id = ?, identified_by = ?, collected_at = ? "
                       "where id = ?", [student_id, identified_by, now(), bundle_id])
            student = db.execute("select name from students where id = ?", [student_id]).fetchone()[0]
            if status == "current":
                _insert(db, "bundle_events", {
                    "at": now(), "by": by, "action": "moved", "student_id": old_student, "bundle_id": None,
                    "previous_id": bundle_id, "undoes": None, "detail": f"{file_name}: the roster gives it to {student}"})
            replaced, attempts, quiz_attempts = self._make_current(db, student_id, bundle_id)
            event = _insert(db, "bundle_events", {
                "at": now(), "by": by, "action": "moved", "student_id": student_id, "bundle_id": bundle_id,
                "previous_id": replaced["id"] if replaced else None, "undoes": None,
                "detail": f"{file_name} (student from {identified_by}; was filed by its own claim)"})
            return {"status": "moved", "bundle_id": bundle_id, "student": student, "event": event,
                    "replaced": replaced, "attempts": attempts, "quiz_attempts": quiz_attempts}

    def _make_current(self, db, student_id: int, bundle_id: int) -> tuple[dict | None, int, int]:
        """Inside a transaction: the bundle becomes the student's current one, with its rows
        imported from its stored contents; the one they had is superseded, its rows removed.
        Returns (the replaced bundle {id, file_name, collected_at, created_at} or None,
        attempts, quiz attempts imported)."""
        current = db.execute("select id, file_name, collected_at, created_at from bundles "
                             "where student_id = ? and status = 'current' and id != ?", [student_id, bundle_id]).fetchone()
        replaced = None
        if current is not None:
            self._delete_imported(db, current[0])
            db.execute("update bundles set status = 'superseded', superseded_by = ? where id = ?",
                       [bundle_id, current[0]])
            replaced = {"id": current[0], "file_name": current[1], "collected_at": current[2],
                        "created_at": current[3]}
        payload = db.execute("""select p.progress, p.quizzes, b.grader_version from bundle_payloads p
                                join bundles b on b.id = p.bundle_id where p.bundle_id = ?""", [bundle_id]).fetchone()
        if payload is None:
            raise UsageProblem(f"Bundle #{bundle_id} was collected by an older grader that did not keep its "
                               "contents, so it cannot be made current again; collect its file again instead.")
        db.execute("update bundles set status = 'current', superseded_by = null where id = ?", [bundle_id])
        attempts, quiz_attempts = self._import_rows(db, json.loads(payload[0]), json.loads(payload[1]), bundle_id,
                                                    student_id, payload[2] or "")
        return replaced, attempts, quiz_attempts

    # -- the log of changes, and undoing one -------------------------------------------------
    def bundle_events(self, student: str | None = None) -> list[dict]:
        """Every change of a student's current bundle, oldest first: {id, at, by, action, student,
        bundle_id, bundle_file, previous_id, previous_file, undoes, detail, latest}."""
        sql = """select e.id, e.at, e.by, e.action, s.name, e.bundle_id, nb.file_name, e.previous_id,
                        pb.file_name, e.undoes, e.detail,
                        e.id = (select max(x.id) from bundle_events x where x.student_id = e.student_id)
                 from bundle_events e join students s on s.id = e.student_id
                 left join bundles nb on nb.id = e.bundle_id left join bundles pb on pb.id = e.previous_id"""
        args: list = []
        if student is not None:
            sql += " where s.name = ?"
            args.append(student)
        keys = ("id", "at", "by", "action", "student", "bundle_id", "bundle_file", "previous_id", "previous_file",
                "undoes", "detail", "latest")
        return [dict(zip(keys, row)) for row in self.db.execute(sql + " order by e.id", args)]

    def undo_bundle_event(self, event_id: int, by: str) -> dict:
        """Reverse one change of a student's current bundle (their latest): the bundle it
        replaced is current again with its rows imported again; the one it brought in is
        withdrawn (collecting its file again files it anew). Logged as an event of its own,
        which can be undone in turn. Returns that event as bundle_events gives it."""
        with self.transaction() as db:
            ev = db.execute("select student_id, bundle_id, previous_id, action from bundle_events where id = ?",
                            [event_id]).fetchone()
            if ev is None:
                raise UsageProblem(f"There is no bundle change #{event_id}; list them with: grade collect --log")
            student_id, bundle_id, previous_id, action = ev
            latest = db.execute("select max(id) from bundle_events where student_id = ?", [student_id]).fetchone()[0]
            if latest != event_id:
                raise UsageProblem(f"Change #{event_id} is not this student's latest (#{latest} came after it); "
                                   f"undo #{latest} first: grade collect --undo {latest}")
            if previous_id is not None:
                owner = db.execute("select student_id from bundles where id = ?", [previous_id]).fetchone()[0]
                if owner != student_id:
                    theirs = db.execute("select max(id) from bundle_events where bundle_id = ?", [previous_id]).fetchone()[0]
                    raise UsageProblem(f"Bundle #{previous_id} has since been filed under another student by the "
                                       f"roster; undo change #{theirs} instead.")
                self._make_current(db, student_id, previous_id)
            elif bundle_id is not None:
                self._delete_imported(db, bundle_id)
            if bundle_id is not None:
                db.execute("update bundles set status = ?, superseded_by = ? where id = ?",
                           ["superseded" if action == "undo" else "withdrawn", previous_id, bundle_id])
            new = _insert(db, "bundle_events", {
                "at": now(), "by": by, "action": "undo", "student_id": student_id, "bundle_id": previous_id,
                "previous_id": bundle_id, "undoes": event_id, "detail": f"undid #{event_id}",
            })
        return next(e for e in self.bundle_events() if e["id"] == new)

    @staticmethod
    def _delete_imported(db, bundle_id: int) -> None:
        rows = db.execute("select kind, row_id from bundle_rows where bundle_id = ?", [bundle_id]).fetchall()
        attempts = [r for k, r in rows if k == "attempt"]
        quiz_attempts = [r for k, r in rows if k == "quiz_attempt"]
        hints = [r for k, r in rows if k == "hint_use"]
        for ids, sqls in (
            (attempts, ["delete from test_results where attempt_id in ({})", "delete from metrics where attempt_id in ({})",
                        "delete from trace where attempt_id in ({})", "delete from attempts where id in ({})"]),
            (quiz_attempts, ["delete from quiz_responses where attempt_id in ({})",
                             "delete from quiz_attempts where id in ({})"]),
            (hints, ["delete from hint_uses where id in ({})"]),
        ):
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for sql in sqls:
                    db.execute(sql.format(marks), chunk)
        db.execute("delete from bundle_rows where bundle_id = ?", [bundle_id])

    @staticmethod
    def _import_rows(db, progress: dict, quizzes: dict, bundle_id: int, student_id: int,
                     grader_version: str) -> tuple[int, int]:
        """Insert a bundle's self-reported rows (its validated progress.json and quizzes.json, as
        plain data) for the student, each listed in bundle_rows under the bundle."""
        links: list[dict] = []
        attempts = progress.get("attempts", [])
        for a in attempts:
            attempt_id = _insert(db, "attempts", {
                "student_id": student_id, "exercise": a["exercise"], "slug": "", "passed": int(a["passed"]),
                "score": a["score"], "max_score": a["max_score"], "duration_s": a.get("duration_s", 0.0),
                "seed": a.get("seed"), "started_at": a["started_at"], "complete": int(a.get("complete", True)),
                "origin": "collected", "grader_version": grader_version,
                "source_sha256": a.get("source_sha256", ""), "source": "",
                "diagnoses": json.dumps(a.get("diagnoses", [])), "status_message": "",
            })
            links.append({"bundle_id": bundle_id, "kind": "attempt", "row_id": attempt_id})
        for h in progress.get("hints", []):
            hint_id = _insert(db, "hint_uses", {"student_id": student_id, "exercise": h["exercise"],
                                                "hint_number": h["hint_number"], "used_at": h["used_at"]})
            links.append({"bundle_id": bundle_id, "kind": "hint_use", "row_id": hint_id})
        quiz_attempts = quizzes.get("attempts", [])
        for q in quiz_attempts:
            quiz_attempt_id = _insert(db, "quiz_attempts", {
                "student_id": student_id, "quiz": q["quiz"], "quiz_version": q.get("quiz_version", ""),
                "seed": q.get("seed"), "started_at": q["started_at"], "finished_at": q.get("finished_at"),
                "complete": int(q.get("complete", True)), "score": q.get("score"), "max_score": q.get("max_score"),
                "origin": "collected", "mode": q.get("mode", ""),
            })
            _insert_many(db, "quiz_responses", [
                {
                    "attempt_id": quiz_attempt_id, "position": r["position"], "question_id": r["question_id"],
                    "kind": r["kind"], "shown_order": json.dumps(r.get("shown_order", [])), "chosen": r.get("chosen"),
                    "correct": None if r.get("correct") is None else int(r["correct"]), "score": r.get("score"),
                    "max_score": r.get("max_score"), "time_s": r.get("time_s"),
                    "concepts_found": json.dumps(r.get("concepts_found", [])),
                    "concepts_missing": json.dumps(r.get("concepts_missing", [])),
                    "misconception": r.get("misconception"),
                }
                for r in q.get("responses", [])
            ])
            links.append({"bundle_id": bundle_id, "kind": "quiz_attempt", "row_id": quiz_attempt_id})
        if links:
            _insert_many(db, "bundle_rows", links)
        return len(attempts), len(quiz_attempts)

    # -- grade regrade -----------------------------------------------------------------------
    def current_bundle_files(self) -> list[tuple[int, str, str, str]]:
        """(bundle id, student, exercise, sha256) of every file of every current bundle."""
        return [tuple(row) for row in self.db.execute(
            """select b.id, s.name, f.exercise, f.sha256 from bundles b
               join students s on s.id = b.student_id join bundle_files f on f.bundle_id = b.id
               where b.status = 'current' order by s.name, f.exercise""").fetchall()]

    def regraded(self, grader_version: str) -> set[tuple[str, str, str]]:
        """(student, exercise, sha256) of every complete regrade by this grader version."""
        return {tuple(row) for row in self.db.execute(
            """select s.name, a.exercise, a.source_sha256 from attempts a join students s on s.id = a.student_id
               where a.origin = 'regrade' and a.complete = 1 and a.grader_version = ?""",
            [grader_version]).fetchall()}

    def bundle_source(self, bundle_id: int, exercise: str) -> str:
        return self.db.execute("select source from bundle_files where bundle_id = ? and exercise = ?",
                               [bundle_id, exercise]).fetchone()[0]

    # -- grade submit: what a student's own bundle carries ------------------------------------
    def rename_student(self, old: str, new: str) -> None:
        """grade whoami --set: the student's rows move from the name `old` to `new` (merged into
        `new`'s where both exist), so the next bundle carries them."""
        with self.transaction() as db:
            was = db.execute("select id from students where name = ?", [old]).fetchone()
            if was is None or old == new:
                return
            now_id = db.execute("select id from students where name = ?", [new]).fetchone()
            if now_id is None:
                db.execute("update students set name = ? where id = ?", [new, was[0]])
                return
            for table in ("attempts", "hint_uses", "quiz_attempts", "review_logs", "bundles", "bundle_events"):
                db.execute(f"update {table} set student_id = ? where student_id = ?", [now_id[0], was[0]])
            # A flashcard both names reviewed keeps the state it has under the new name.
            db.execute("update or ignore review_cards set student_id = ? where student_id = ?", [now_id[0], was[0]])
            db.execute("delete from review_cards where student_id = ?", [was[0]])
            db.execute("delete from students where id = ?", [was[0]])

    def own_progress(self, student: str) -> dict:
        """The student's own attempts and hint uses, as a bundle's progress.json holds them."""
        attempts = [
            {
                "exercise": row["exercise"], "passed": bool(row["passed"]), "score": row["score"] or 0.0,
                "max_score": row["max_score"] or 0.0, "duration_s": row["duration_s"] or 0.0,
                "seed": row["seed"], "started_at": row["started_at"], "complete": bool(row["complete"]),
                "diagnoses": _json_list(row["diagnoses"]), "source_sha256": row["source_sha256"] or "",
            }
            for row in self.db.query(
                """select a.* from attempts a join students s on s.id = a.student_id
                   where s.name = ? and a.origin = 'local' order by a.id""", [student])
        ]
        hints = [
            {"exercise": row["exercise"], "hint_number": row["hint_number"], "used_at": row["used_at"]}
            for row in self.db.query(
                """select h.* from hint_uses h join students s on s.id = h.student_id
                   where s.name = ? order by h.id""", [student])
        ]
        return {"attempts": attempts, "hints": hints}

    def own_quiz_attempts(self, student: str) -> dict:
        """The student's own quiz attempts with their responses, as a bundle's quizzes.json holds them."""
        attempts = []
        for qa in self.db.query(
            """select q.* from quiz_attempts q join students s on s.id = q.student_id
               where s.name = ? and coalesce(q.origin, 'local') = 'local' order by q.id""", [student]
        ):
            responses = [
                {
                    "position": r["position"] or 0, "question_id": r["question_id"], "kind": r["kind"] or "",
                    "shown_order": [str(o) for o in _json_list(r["shown_order"])], "chosen": r["chosen"],
                    "correct": None if r["correct"] is None else bool(r["correct"]), "score": r["score"],
                    "max_score": r["max_score"], "time_s": r["time_s"],
                    "concepts_found": [str(c) for c in _json_list(r["concepts_found"])],
                    "concepts_missing": [str(c) for c in _json_list(r["concepts_missing"])],
                    "misconception": r["misconception"] or None,
                }
                for r in self.db.query("select * from quiz_responses where attempt_id = ? order by position, id",
                                       [qa["id"]])
            ]
            attempts.append({
                "quiz": qa["quiz"], "quiz_version": qa["quiz_version"] or "", "seed": qa["seed"],
                "started_at": qa["started_at"], "finished_at": qa["finished_at"],
                "complete": bool(qa["complete"]), "score": qa["score"], "max_score": qa["max_score"],
                "mode": qa["mode"] or "", "responses": responses,
            })
        return {"attempts": attempts}
