"""The results report's data: one JSON-ready dict that every output format renders.

Scores come from regrading when the student's current bundle has been regraded (authoritative),
else from the attempts the student reported (their own database, or a collected bundle): every
cell says which with "origin": "regrade" | "self-reported". Attempts, hints and time to pass
always come from the student's own history, the only place they exist.

Works on an instructor's database (after collect/regrade) and on one student's own database.
Torch-free: reads the database and the trusted manifest only.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from grader import __version__
from grader.instructor.item_analysis import analyse, load_attempts, misconception_counts
from grader.course.manifest import Manifest
from grader.engine.results import now

if TYPE_CHECKING:
    from grader.store import Store

DISTRIBUTION_BINS = 10  # 0-10 %, 10-20 %, ..., 90-100 %
TOP_DIAGNOSES = 5


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _median(values: list[float]) -> Optional[float]:
    return statistics.median(values) if values else None


def _diagnosis_codes(text: Optional[str]) -> list[str]:
    try:
        items = json.loads(text) if text else []
    except ValueError:
        return []
    return [d["code"] for d in items if isinstance(d, dict) and isinstance(d.get("code"), str)]


def time_to_pass(attempts: list[dict], first_hint: Optional[str]) -> Optional[float]:
    """Seconds from the first attempt (or first hint, if earlier) to the end of the first passing attempt."""
    passing = [a for a in attempts if a["passed"]]
    if not passing:
        return None
    starts = [_ts(a["started_at"]) for a in attempts] + ([_ts(first_hint)] if first_hint else [])
    first_pass = min(passing, key=lambda a: _ts(a["started_at"]))
    end = _ts(first_pass["started_at"]).timestamp() + (first_pass["duration_s"] or 0.0)
    return max(0.0, end - min(starts).timestamp())


def _distribution(percents: list[float]) -> list[dict]:
    width = 100 / DISTRIBUTION_BINS
    counts = [0] * DISTRIBUTION_BINS
    for p in percents:
        counts[min(DISTRIBUTION_BINS - 1, max(0, int(p // width)))] += 1
    return [{"from": round(i * width, 6), "to": round((i + 1) * width, 6), "count": c} for i, c in enumerate(counts)]


def build_report(store: Store, manifest: Manifest, which_attempts: str = "first") -> dict:
    exercises = manifest.exercises
    students = store.student_names()

    own: dict[tuple[str, str], list[dict]] = defaultdict(list)  # self-reported attempts
    regraded: dict[tuple[str, str, str], dict] = {}
    for row in store.report_attempts():
        if row["origin"] == "regrade":
            if row["complete"]:
                regraded[(row["student"], row["exercise"], row["source_sha256"])] = row  # latest wins
        else:
            own[(row["student"], row["exercise"])].append(row)
    hints = store.hint_summary()
    submitted: dict[tuple[str, str], str] = {}
    bundles: dict[str, dict] = {}
    for name, ex, sha, bundle_id, created in store.current_submissions():
        submitted[(name, ex)] = sha
        bundles[name] = {"id": bundle_id, "created_at": created}

    matrix = []
    authoritative_rows: dict[tuple[str, str], dict] = {}  # the regrade behind each regraded cell
    for student in students:
        cells: dict[str, dict] = {}
        for ex in exercises:
            mine = own.get((student, ex.name), [])
            sha = submitted.get((student, ex.name))
            authoritative = regraded.get((student, ex.name, sha)) if sha else None
            complete = [a for a in mine if a["complete"]]
            cell = {
                "score": None, "max_score": ex.points, "passed": False,
                "attempts": len(mine), "hints": hints.get((student, ex.name), (0, None))[0],
                "origin": None, "awaiting_regrade": bool(sha) and authoritative is None,
            }
            if authoritative is not None:
                authoritative_rows[(student, ex.name)] = authoritative
                cell.update(score=authoritative["score"], max_score=authoritative["max_score"],
                            passed=bool(authoritative["passed"]), origin="regrade")
            elif complete:
                best = max(complete, key=lambda a: (a["passed"], a["score"] or 0.0))
                cell.update(score=best["score"], max_score=best["max_score"] or ex.points,
                            passed=bool(best["passed"]), origin="self-reported")
            cells[ex.name] = cell
        scored = [c for c in cells.values() if c["origin"]]
        origins = {c["origin"] for c in scored}
        matrix.append({
            "student": student,
            "cells": cells,
            "total": round(sum(c["score"] or 0.0 for c in cells.values()), 6),
            # Optional exercises add to the total but not to the maximum: they are extra credit.
            "max_total": round(sum(cells[e.name]["max_score"] for e in exercises if not e.optional), 6),
            "passed": sum(c["passed"] for c in cells.values()),
            "origin": (origins.pop() if len(origins) == 1 else "mixed") if origins else None,
            "bundle": bundles.get(student),
        })

    exercise_stats = []
    for ex in exercises:
        cells = [(row["student"], row["cells"][ex.name]) for row in matrix]
        tried = [c["attempts"] for _, c in cells if c["attempts"]]
        # Only students who passed (authoritatively, where regraded) count towards time to pass.
        times = [t for student, c in cells if c["passed"]
                 and (t := time_to_pass(own.get((student, ex.name), []),
                                        hints.get((student, ex.name), (0, None))[1])) is not None]
        by_code_students: dict[str, set[str]] = defaultdict(set)
        by_code_attempts: Counter = Counter()
        for student in students:
            rows = own.get((student, ex.name), []) + (
                [authoritative_rows[(student, ex.name)]] if (student, ex.name) in authoritative_rows else [])
            for r in rows:
                for code in set(_diagnosis_codes(r["diagnoses"])):
                    by_code_students[code].add(student)
                    by_code_attempts[code] += 1
        passed = sum(c["passed"] for _, c in cells)
        exercise_stats.append({
            "exercise": ex.name, "slug": ex.slug, "title": ex.title, "points": ex.points,
            "concept": ex.concept, "students": len(cells),
            "attempted": sum(1 for _, c in cells if c["attempts"] or c["origin"]),
            "passed": passed,
            "pass_rate": passed / len(cells) if cells else None,
            "median_attempts": _median(tried),
            "median_time_to_pass_s": _median(times),
            "diagnoses": sorted(
                ({"code": code, "students": len(who), "attempts": by_code_attempts[code]}
                 for code, who in by_code_students.items()),
                key=lambda d: (-d["students"], -d["attempts"], d["code"]))[:TOP_DIAGNOSES],
        })

    groups = load_attempts(store, which_attempts)
    analyses = [analyse(quiz, version, attempts, which_attempts) for (quiz, version), attempts in sorted(groups.items())]
    quizzes = _quiz_summaries(store, groups, analyses)
    best_quiz = _best_quiz_scores(store)

    diag_students: dict[str, set[str]] = defaultdict(set)
    diag_exercises: dict[str, set[str]] = defaultdict(set)
    for rows, key in [(rows, key) for key, rows in own.items()] + [([r], k) for k, r in authoritative_rows.items()]:
        for r in rows:
            for code in _diagnosis_codes(r["diagnoses"]):
                diag_students[code].add(key[0])
                diag_exercises[code].add(key[1])
    tags = misconception_counts(groups.values())
    misconceptions = sorted(
        ({"tag": tag,
          "quiz_students": tags.get(tag, {}).get("students", 0),
          "quiz_responses": tags.get(tag, {}).get("responses", 0),
          "questions": tags.get(tag, {}).get("questions", []),
          "exercise_students": len(diag_students.get(tag, ())),
          "exercises": sorted(diag_exercises.get(tag, ()))}
         for tag in set(tags) | set(diag_students)),
        key=lambda m: (-(m["quiz_students"] + m["exercise_students"]), m["tag"]))

    from grader.instructor.regrade import pending_jobs

    todo, done = pending_jobs(store, manifest)
    return {
        "generated_at": now(),
        "grader_version": __version__,
        "which_attempts": which_attempts,
        "students": students,
        "exercises": [{"name": e.name, "slug": e.slug, "title": e.title, "points": e.points} for e in exercises],
        "matrix": matrix,
        "exercise_stats": exercise_stats,
        "quizzes": quizzes,
        "quiz_best": best_quiz,
        "misconceptions": misconceptions,
        "regrade": {"bundles": len(bundles), "regraded": done, "pending": len(todo)},
    }


def _quiz_summaries(store: Store, groups: dict, analyses: list) -> list[dict]:
    """Item analysis plus the distribution of the same attempts' scores (as % of their maximum)."""
    out = []
    for analysis in analyses:
        attempts = groups[(analysis.quiz, analysis.version)]
        recorded = store.quiz_attempt_totals([a.attempt_id for a in attempts])
        percents = []
        for a in attempts:
            score, top = recorded.get(a.attempt_id, (None, None))
            if not top:  # no recorded total: use the responses' own marks
                score, top = a.total, sum(r.max_mark for r in a.responses.values())
            if top:
                percents.append(100.0 * (score or 0.0) / top)
        data = analysis.to_json()
        data["distribution"] = _distribution(percents)
        data["score_percents"] = sorted(round(p, 6) for p in percents)
        out.append(data)
    return out


def _best_quiz_scores(store: Store) -> dict[str, dict[str, dict]]:
    """{student: {quiz: {"score", "max_score"}}}: each student's best complete attempt (gradebook)."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for name, quiz, score, max_score in store.complete_quiz_scores():
        best = out[name].get(quiz)
        if best is None or (score or 0.0) > best["score"]:
            out[name][quiz] = {"score": score or 0.0, "max_score": max_score or 0.0}
    return dict(out)
