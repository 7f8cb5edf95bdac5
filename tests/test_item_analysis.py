"""Item analysis with Moodle's definitions, checked against values worked out by hand."""

from __future__ import annotations

import json
import math

import pytest

from grader.instructor.item_analysis import (
    QuizAttempt,
    ItemResponse,
    analyse,
    analyse_all,
    load_attempts,
    misconception_counts,
)


def _attempt(i: int, marks: list[float], chosen: list[str] | None = None) -> QuizAttempt:
    responses = {}
    for k, mark in enumerate(marks, 1):
        responses[f"q{k}"] = ItemResponse(f"q{k}", "choice", mark, 1.0, (chosen or [None] * len(marks))[k - 1],
                                      bool(mark), ["a", "b"], None)
    return QuizAttempt(i, f"s{i}", responses)


def test_three_students_four_items_by_hand():
    # Marks: s1 [1,1,1,0] T=3, s2 [0,1,0,1] T=2, s3 [0,0,0,1] T=1 (the class fixture's first attempts).
    a = analyse("quiz", "v1", [_attempt(1, [1, 1, 1, 0]), _attempt(2, [0, 1, 0, 1]), _attempt(3, [0, 0, 0, 1])])
    q1, q2, q3, q4 = a.items
    # q1: x=[1,0,0], rest=[2,2,1]. mean 1/3; V(x)=1/3; V(rest)=1/3; Cov=1/6.
    assert q1.facility == pytest.approx(100 / 3)
    assert q1.sd == pytest.approx(100 * math.sqrt(1 / 3))
    assert q1.discrimination_index == pytest.approx(50.0)  # (1/6) / sqrt(1/9)
    assert q1.discriminative_efficiency == pytest.approx(100.0)  # sorted pairs give the same 1/6
    assert q1.flags == []
    # q2: x=[1,1,0], rest = T - x = [2,1,1]: V(x) = V(rest) = 1/3, Cov = 1/6.
    assert q2.facility == pytest.approx(200 / 3)
    assert q2.discrimination_index == pytest.approx(50.0)
    # q4: x=[0,1,1], rest=[3,1,0]. V(rest)=7/3; Cov=-5/6; Cov_max (sorted)=2/3; Cov(x,T)=-1/2.
    assert q4.discrimination_index == pytest.approx(-250 / math.sqrt(7))  # -94.49
    assert q4.discriminative_efficiency == pytest.approx(-125.0)
    assert q4.covariance_with_total == pytest.approx(-0.5)
    assert q4.flags == ["negative covariance", "efficiency under 15%"]
    # Whole quiz: T=[3,2,1]: mean 2, SD 1, sum of item variances 4 * 1/3.
    t = a.test
    assert (t.attempts, t.items, t.max_total) == (3, 4, 4.0)
    assert t.mean == pytest.approx(2.0) and t.median == pytest.approx(2.0) and t.sd == pytest.approx(1.0)
    assert t.skewness == pytest.approx(0.0)
    assert t.kurtosis is None  # needs more than 3 attempts
    assert t.cic == pytest.approx(100 * 4 / 3 * (1 - 4 / 3))  # -44.44
    assert t.error_ratio == pytest.approx(100 * math.sqrt(13 / 9))  # 120.19
    assert t.standard_error == pytest.approx(math.sqrt(13 / 9) * 1.0)
    assert a.to_json()["test"]["mean_percent"] == pytest.approx(50.0)


def test_perfectly_consistent_items_have_cic_100_and_no_error():
    # Two identical items over 4 students: T=[2,2,0,0]; V(item)=1/3 each; V(T)=4/3.
    a = analyse("quiz", "", [_attempt(1, [1, 1]), _attempt(2, [1, 1]), _attempt(3, [0, 0]), _attempt(4, [0, 0])])
    assert a.test.cic == pytest.approx(100.0)  # 100 * 2 * (1 - (2/3) / (4/3))
    assert a.test.error_ratio == pytest.approx(0.0)
    assert a.test.standard_error == pytest.approx(0.0)
    # Kurtosis with s=4: m2=1, m4=1 -> k4 = 16*(5*1 - 3*3*1)/(3*2*1) = -32/3; k2 = 4/3 -> -6.
    assert a.test.kurtosis == pytest.approx(-6.0)
    for item in a.items:
        assert item.discrimination_index == pytest.approx(100.0)  # the rest is the other, identical item
        assert item.discriminative_efficiency == pytest.approx(100.0)
        assert item.facility == pytest.approx(50.0)


def test_extreme_facility_is_flagged_and_undefined_statistics_stay_empty():
    # Everyone right on q1 (facility 100 %): no variance, so no discrimination index or efficiency.
    a = analyse("quiz", "", [_attempt(1, [1, 1]), _attempt(2, [1, 0]), _attempt(3, [1, 0])])
    q1 = a.items[0]
    assert q1.facility == pytest.approx(100.0)
    assert q1.discrimination_index is None and q1.discriminative_efficiency is None
    assert q1.flags == ["extremely easy"]
    single = analyse("quiz", "", [_attempt(1, [0, 1])])
    assert single.items[0].sd is None and single.test.sd is None and single.test.cic is None
    assert single.items[0].flags == ["extremely hard"]


def _store_quiz(store, student: str, started: str, answers: list[tuple[str, str, bool, str | None]],
                complete: int = 1) -> None:
    sid = store.student_id(student)
    aid = store.db["quiz_attempts"].insert({
        "student_id": sid, "quiz": "basics", "quiz_version": "v1", "seed": 1, "started_at": started,
        "finished_at": started, "complete": complete, "score": float(sum(c for _, _, c, _ in answers)),
        "max_score": float(len(answers)), "origin": "local", "mode": "answers"}).last_pk
    for pos, (qid, chosen, correct, tag) in enumerate(answers):
        store.db["quiz_responses"].insert({
            "attempt_id": aid, "position": pos, "question_id": qid, "kind": "choice",
            "shown_order": json.dumps(["a", "b", "c"]), "chosen": chosen, "correct": int(correct),
            "score": float(correct), "max_score": 1.0, "time_s": 1.0, "misconception": tag})


def test_first_attempts_by_default_all_on_request_and_option_counts(fresh_db):
    _store_quiz(fresh_db, "ann", "2025-01-01T10:00:00", [("q1", "b", False, "no-grad"), ("q2", "a", True, None)])
    _store_quiz(fresh_db, "ann", "2025-01-01T11:00:00", [("q1", "a", True, None), ("q2", "a", True, None)])
    _store_quiz(fresh_db, "bob", "2025-01-01T10:30:00", [("q1", "c", False, "inplace"), ("q2", "b", False, None)])
    _store_quiz(fresh_db, "cat", "2025-01-01T09:00:00", [("q1", "b", False, "no-grad")], complete=0)  # partial

    first = load_attempts(fresh_db, "first")[("basics", "v1")]
    assert sorted((a.student, a.total) for a in first) == [("ann", 1.0), ("bob", 0.0)]
    every = load_attempts(fresh_db, "all")[("basics", "v1")]
    assert len(every) == 3  # the partial attempt never counts

    [analysis] = analyse_all(fresh_db)
    q1 = analysis.items[0]
    assert [(o.option, o.count, o.correct, o.misconception) for o in q1.options] == [
        ("a", 0, False, None), ("b", 1, False, "no-grad"), ("c", 1, False, "inplace")]
    assert q1.random_guess_score == pytest.approx(100 / 3)
    q2 = analysis.items[1]
    assert [(o.option, o.count, o.correct) for o in q2.options] == [("a", 1, True), ("b", 1, False), ("c", 0, False)]

    tags = misconception_counts([first])
    assert tags == {"no-grad": {"students": 1, "responses": 1, "questions": ["q1"]},
                    "inplace": {"students": 1, "responses": 1, "questions": ["q1"]}}
