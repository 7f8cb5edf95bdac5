"""Three students' bundles, built in the tests, with numbers worked out by hand.

Imported by the instructor tests (test_report_class.py, test_regrade.py, ...); holds no tests.

Code (authoritative scores, from regrading; stub scores are seed-independent):
    ada: solution 1, 2, 3           -> 5/5, 4/4, 4/4 = 13/13
    ben: solution 1, stub 2, stub 3  -> 5/5, 0/4, 0/4 =  5/13  (claims exercise2 passed: a lie)
    cy:  stub 1, solution 2, 3       -> 1/5, 4/4, 4/4 =  9/13

Quiz "autograd-basics" (1 mark per question), first attempts:
    ada [1,1,1,0] = 3    ben [0,1,0,1] = 2    cy [0,0,0,1] = 1
    (ben's second attempt scores 4/4; it is not a first attempt)
"""

from __future__ import annotations

from pathlib import Path

from grader import course
from grader.instructor.bundle import write_bundle

DAY = "2025-03-01T"


def ts(clock: str) -> str:
    return f"{DAY}{clock}.000+00:00"


def attempt(exercise: str, clock: str, passed: bool, score: float, max_score: float,
            duration: float = 1.0, diagnoses: tuple[str, ...] = ()) -> dict:
    return {"exercise": exercise, "passed": passed, "score": score, "max_score": max_score,
            "duration_s": duration, "seed": 1, "started_at": ts(clock), "complete": True,
            "diagnoses": [{"code": c, "message": "..."} for c in diagnoses], "source_sha256": ""}


def hint(exercise: str, n: int, clock: str) -> dict:
    return {"exercise": exercise, "hint_number": n, "used_at": ts(clock)}


QUESTIONS = {
    # question id: (kind, shown options, correct option)
    "q1": ("choice", ["a", "b", "c"], "a"),
    "q2": ("truefalse", ["true", "false"], "true"),
    "q3": ("choice", ["a", "b", "c", "d"], "c"),
    "q4": ("choice", ["a", "b"], "a"),
}
TAGS = {("q1", "b"): "missing-requires-grad", ("q1", "c"): "inplace-on-leaf",
        ("q3", "a"): "backward-not-called", ("q4", "b"): "retain-graph"}


def quiz_attempt(clock: str, answers: dict[str, str], quiz: str = "autograd-basics") -> dict:
    responses = []
    score = 0.0
    for position, (qid, chosen) in enumerate(answers.items()):
        kind, shown, right = QUESTIONS[qid]
        correct = chosen == right
        score += correct
        responses.append({
            "position": position, "question_id": qid, "kind": kind, "shown_order": shown, "chosen": chosen,
            "correct": correct, "score": float(correct), "max_score": 1.0, "time_s": 5.0,
            "concepts_found": [], "concepts_missing": [],
            "misconception": None if correct else TAGS.get((qid, chosen)),
        })
    return {"quiz": quiz, "quiz_version": "v1", "seed": 7, "started_at": ts(clock), "finished_at": ts(clock),
            "complete": True, "score": score, "max_score": float(len(answers)), "mode": "answers",
            "responses": responses}


def _file(kind: str, exercise) -> tuple[str, bytes]:
    folder = course.SOLUTIONS_DIR if kind == "solution" else course.exercises_dir()
    name = exercise.solution if kind == "solution" else exercise.file
    return exercise.file, (folder / name).read_bytes()


def sources(kinds: tuple[str, str, str]) -> dict[str, tuple[str, bytes]]:
    exercises = course.load().exercises
    return {ex.name: _file(kind, ex) for ex, kind in zip(exercises, kinds)}


STUDENTS = {
    "ada": {
        "code": ("solution", "solution", "solution"),
        "attempts": [attempt("exercise1", "10:00:00", False, 1, 5, 1.0, ("missing-requires-grad",)),
                     attempt("exercise1", "10:05:00", True, 5, 5, 2.0),
                     attempt("exercise2", "11:00:00", True, 4, 4, 1.0),
                     attempt("exercise3", "12:00:00", True, 4, 4, 1.5)],
        "hints": [hint("exercise1", 1, "10:02:00")],
        "quizzes": [quiz_attempt("13:00:00", {"q1": "a", "q2": "true", "q3": "c", "q4": "b"})],
    },
    "ben": {
        "code": ("solution", "stub", "stub"),
        "attempts": [attempt("exercise1", "10:00:00", False, 1, 5, 1.0, ("missing-requires-grad",)),
                     attempt("exercise1", "10:10:00", False, 1, 5, 1.0, ("missing-requires-grad",)),
                     attempt("exercise1", "10:20:00", True, 5, 5, 4.0),
                     attempt("exercise2", "11:00:00", True, 4, 4, 1.0),  # self-reported; the code is the stub
                     attempt("exercise3", "12:00:00", False, 0, 4, 1.0, ("backward-not-called",))],
        "hints": [hint("exercise1", 1, "09:59:00"), hint("exercise1", 2, "10:05:00")],
        "quizzes": [quiz_attempt("13:00:00", {"q1": "b", "q2": "true", "q3": "a", "q4": "a"}),
                    quiz_attempt("14:00:00", {"q1": "a", "q2": "true", "q3": "c", "q4": "a"})],
    },
    "cy": {
        "code": ("stub", "solution", "solution"),
        "attempts": [attempt("exercise1", "10:00:00", False, 1, 5, 1.0, ("missing-requires-grad",)),
                     attempt("exercise2", "11:00:00", False, 0, 4, 1.0, ("inplace-on-leaf",)),
                     attempt("exercise2", "11:30:00", True, 4, 4, 2.0)],
        "hints": [],
        "quizzes": [quiz_attempt("13:00:00", {"q1": "c", "q2": "false", "q3": "a", "q4": "a"})],
    },
}


def make_bundle(folder: Path, student: str, *, created: str = "15:00:00", **overrides) -> Path:
    spec = {**STUDENTS[student], **overrides}
    return write_bundle(folder / f"{student}-{created.replace(':', '')}.zip", student=student,
                        grader_version="0.1.0", created_at=ts(created), sources=sources(spec["code"]),
                        progress={"attempts": spec["attempts"], "hints": spec["hints"]},
                        quizzes={"attempts": spec["quizzes"]})


def class_bundles(folder: Path) -> list[Path]:
    return [make_bundle(folder, name) for name in STUDENTS]
