"""Schema migrations, applied in order when the store opens (sqlite_utils.Migrations).

Append new migrations at the end with the next number; never edit an applied one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("grader")


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    db["students"].create(
        {"id": int, "name": str, "created_at": str}, pk="id", not_null={"name"}
    )
    db["students"].create_index(["name"], unique=True)
    db["attempts"].create(
        {
            "id": int,
            "student_id": int,
            "exercise": str,
            "slug": str,
            "passed": int,
            "score": float,
            "max_score": float,
            "duration_s": float,
            "seed": int,
            "started_at": str,
            "complete": int,  # 0 when grading was interrupted: partial results
            "origin": str,  # local (self-reported) | regrade (authoritative)
            "grader_version": str,
            "source_sha256": str,
            "source": str,
            "diagnoses": str,  # JSON list of {code, message}
            "status_message": str,
        },
        pk="id",
        foreign_keys=[("student_id", "students", "id")],
    )
    db["attempts"].create_index(["student_id", "exercise"])
    db["test_results"].create(
        {
            "id": int,
            "attempt_id": int,
            "position": int,
            "name": str,
            "status": str,  # passed | failed | error | timeout
            "score": float,
            "max_score": float,
            "message": str,
            "duration_s": float,
        },
        pk="id",
        foreign_keys=[("attempt_id", "attempts", "id")],
    )
    db["test_results"].create_index(["attempt_id"])
    db["metrics"].create(
        {
            "attempt_id": int,
            "name": str,
            "value": float,
            "target_op": str,
            "target_value": float,
            "met": int,
        },
        pk=("attempt_id", "name"),
        foreign_keys=[("attempt_id", "attempts", "id")],
    )
    db["trace"].create(
        {"attempt_id": int, "epoch": int, "loss": float, "accuracy": float, "note": str},
        pk=("attempt_id", "epoch"),
        foreign_keys=[("attempt_id", "attempts", "id")],
    )
    db["hint_uses"].create(
        {"id": int, "student_id": int, "exercise": str, "hint_number": int, "used_at": str},
        pk="id",
        foreign_keys=[("student_id", "students", "id")],
    )
    db["hint_uses"].create_index(["student_id", "exercise"])


@migrations(name="0002_quizzes")
def m0002_quizzes(db: Database) -> None:
    db["quiz_attempts"].create(
        {
            "id": int,
            "student_id": int,
            "quiz": str,  # the quiz's name (file stem in quizzes/)
            "quiz_version": str,  # hash of the quiz file, so item analysis compares like with like
            "seed": int,
            "started_at": str,
            "finished_at": str,
            "complete": int,  # 0: interrupted (Ctrl-C), a clearly marked partial attempt
            "score": float,
            "max_score": float,
            "origin": str,  # local | collected
            "mode": str,  # plain | interactive | answers
        },
        pk="id",
        foreign_keys=[("student_id", "students", "id")],
    )
    db["quiz_attempts"].create_index(["student_id", "quiz"])
    db["quiz_responses"].create(
        {
            "id": int,
            "attempt_id": int,
            "position": int,  # order asked in this attempt
            "question_id": str,
            "kind": str,  # choice | truefalse | flashcard | open | prediction
            "shown_order": str,  # JSON list of option ids in the order shown
            "chosen": str,  # option id, "true"/"false", free text, or a self-rating
            "correct": int,
            "score": float,
            "max_score": float,
            "time_s": float,
            "concepts_found": str,  # JSON list (open questions)
            "concepts_missing": str,  # JSON list (open questions)
            "misconception": str,  # tag of the chosen wrong option, if any
        },
        pk="id",
        foreign_keys=[("attempt_id", "quiz_attempts", "id")],
    )
    db["quiz_responses"].create_index(["attempt_id"])
    db["quiz_responses"].create_index(["question_id"])
    db["review_cards"].create(
        {"student_id": int, "card_id": str, "state": str, "due": str},
        pk=("student_id", "card_id"),
        foreign_keys=[("student_id", "students", "id")],
    )
    db["review_logs"].create(
        {"id": int, "student_id": int, "card_id": str, "rating": int, "reviewed_at": str, "state": str},
        pk="id",
        foreign_keys=[("student_id", "students", "id")],
    )


@migrations(name="0003_instructor")
def m0003_instructor(db: Database) -> None:
    # Submission bundles collected by an instructor (grader/instructor). Self-reported rows a
    # bundle brought in (attempts, quiz attempts, hint uses with origin "collected") are listed
    # in bundle_rows, so a newer bundle from the same student can replace them cleanly.
    db["bundles"].create(
        {
            "id": int,
            "student_id": int,
            "sha256": str,  # of the whole bundle file: collecting it twice changes nothing
            "created_at": str,  # when the student wrote it (from its manifest)
            "collected_at": str,
            "grader_version": str,  # the student's grader
            "file_name": str,
            "size": int,
            "status": str,  # current | superseded
            "superseded_by": int,
        },
        pk="id",
        foreign_keys=[("student_id", "students", "id")],
    )
    db["bundles"].create_index(["sha256"], unique=True)
    db["bundles"].create_index(["student_id", "status"])
    db["bundle_files"].create(
        {"bundle_id": int, "exercise": str, "path": str, "sha256": str, "size": int, "source": str},
        pk=("bundle_id", "exercise"),
        foreign_keys=[("bundle_id", "bundles", "id")],
    )
    db["bundle_rows"].create(
        {"bundle_id": int, "kind": str, "row_id": int},  # kind: attempt | quiz_attempt | hint_use
        pk=("bundle_id", "kind", "row_id"),
        foreign_keys=[("bundle_id", "bundles", "id")],
    )


@migrations(name="0004_identity_and_overrides")
def m0004_identity_and_overrides(db: Database) -> None:
    # Who a student is for an LMS: the email and student id `grade whoami` records and bundles
    # carry, or that an instructor's roster gives (grade collect --roster).
    db["students"].add_column("email", str)
    db["students"].add_column("student_id", str)
    db["students"].create_index(["email"])
    # An instructor's judgement of one open answer (grade answers): the latest row that is not
    # revoked wins over the automatic score, in every report (through the views below).
    db["answer_overrides"].create(
        {
            "id": int,
            "response_id": int,
            "score": float,
            "found": str,  # JSON list of concept ids the instructor credits (None: not stated)
            "reason": str,
            "by": str,  # who decided (the instructor's OS user name, or --by)
            "created_at": str,
            "revoked_at": str,
        },
        pk="id",
        foreign_keys=[("response_id", "quiz_responses", "id")],
    )
    db["answer_overrides"].create_index(["response_id"])
    db.execute("""
        create view effective_quiz_responses as
        select r.*, coalesce(o.score, r.score) as effective_score, o.id is not null as overridden,
               o.found as override_found
        from quiz_responses r
        left join answer_overrides o on o.id = (
            select max(id) from answer_overrides where response_id = r.id and revoked_at is null)
    """)
    db.execute("""
        create view effective_quiz_attempts as
        select q.*, coalesce((select sum(e.effective_score) from effective_quiz_responses e
                              where e.attempt_id = q.id), q.score) as effective_score
        from quiz_attempts q
    """)


@migrations(name="0005_roster_and_bundle_log")
def m0005_roster_and_bundle_log(db: Database) -> None:
    # Who a student is in the LMS, from the instructor's roster (grade collect --roster): the
    # LMS's own user id (Canvas "ID"), the login (username, Canvas "SIS Login ID"), the section,
    # and whether the latest roster listed them. students.email and students.student_id (0004)
    # hold the roster's email and student number (Moodle "ID number", Canvas "SIS User ID").
    db["students"].add_column("lms_id", str)
    db["students"].add_column("login", str)
    db["students"].add_column("section", str)
    db["students"].add_column("on_roster", int)
    db.execute("create index students_email_folded on students(lower(email))")  # emails match without case
    db["students"].create_index(["student_id"])
    db["students"].create_index(["lms_id"])
    # How a bundle's student was decided (roster match by Canvas or Moodle download name, by a
    # folder named after the student, or the bundle's own claim without a roster), and what
    # the bundle claimed about itself, kept for the record.
    db["bundles"].add_column("identified_by", str)
    db["bundles"].add_column("claimed_student", str)
    db["bundles"].add_column("claimed_email", str)
    db["bundles"].add_column("claimed_student_id", str)
    # The validated progress.json and quizzes.json of every bundle, so a replaced bundle's rows
    # can be put back (grade collect --undo).
    db["bundle_payloads"].create(
        {"bundle_id": int, "progress": str, "quizzes": str},
        pk="bundle_id",
        foreign_keys=[("bundle_id", "bundles", "id")],
    )
    # Every change of a student's current bundle: who (OS user), when, from which bundle to which.
    db["bundle_events"].create(
        {
            "id": int,
            "at": str,
            "by": str,
            "action": str,  # collected | replaced | undo
            "student_id": int,
            "bundle_id": int,  # the bundle current after the event (None: no bundle)
            "previous_id": int,  # the bundle current before it (None: no bundle)
            "undoes": int,  # for an undo: the event it reversed
            "detail": str,
        },
        pk="id",
        foreign_keys=[("student_id", "students", "id")],
    )
    db["bundle_events"].create_index(["student_id"])
