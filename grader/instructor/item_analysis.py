"""Quiz item analysis with Moodle's definitions, computed from quiz_responses rows alone.

Moodle (question/classes/statistics/questions/calculator.php and
mod/quiz/report/statistics/classes/calculator.php), with S attempts, x_i an item's mark,
T the attempt's total mark and X_i = T - x_i the rest of the test:

* facility F = mean(x_i) / max mark of the item                         (shown as %)
* SD = sqrt(sum (x_i - mean)^2 / (S - 1)) / max mark                    (shown as %)
* discrimination index D = 100 * Cov(x_i, X_i) / sqrt(V(x_i) V(X_i))    (item-rest correlation)
* discriminative efficiency DE = 100 * Cov(x_i, X_i) / Cov_max, where Cov_max pairs the sorted
  x_i with the sorted X_i (the largest covariance these marks could have)
* negative covariance: Cov(x_i, T) < 0 (the item works against the test)
* coefficient of internal consistency CIC = 100 * p/(p-1) * (1 - sum V(x_i) / V(T))
  (Cronbach's alpha x 100; needs S > 2 and p > 1 items), error ratio ER = 100 * sqrt(1 - CIC/100),
  standard error SE = ER/100 * SD(T)

Variances and covariances divide by S - 1. By default each student's first complete attempt is
used, as Moodle recommends (later attempts build on earlier ones).
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:
    from grader.store import Store

EXTREME_FACILITY_LOW = 5.0  # % : Moodle's "extremely difficult, or something wrong with the question"
EXTREME_FACILITY_HIGH = 95.0  # % : Moodle's "extremely easy"
DUBIOUS_EFFICIENCY = 15.0  # % : Moodle flags questions whose discriminative efficiency is below this
CHOICE_KINDS = {"choice", "truefalse", "multichoice", "multiple_choice", "single_choice"}


@dataclass
class ItemResponse:
    question_id: str
    kind: str
    mark: float
    max_mark: float
    chosen: Optional[str]
    correct: Optional[bool]
    shown_order: list[str]
    misconception: Optional[str]


@dataclass
class QuizAttempt:
    attempt_id: int
    student: str
    responses: dict[str, ItemResponse]  # question id -> response

    @property
    def total(self) -> float:
        return sum(r.mark for r in self.responses.values())


@dataclass
class OptionStats:
    option: str
    count: int
    fraction: float  # of the attempts that answered this question
    correct: bool
    misconception: Optional[str]


@dataclass
class ItemStats:
    question_id: str
    kind: str
    s: int  # attempts that include the item
    max_mark: float
    facility: Optional[float]  # %
    sd: Optional[float]  # % of the max mark
    random_guess_score: Optional[float]  # %
    discrimination_index: Optional[float]  # %
    discriminative_efficiency: Optional[float]  # %
    covariance_with_total: Optional[float]
    flags: list[str] = field(default_factory=list)
    options: list[OptionStats] = field(default_factory=list)


@dataclass
class OverallStats:
    attempts: int
    items: int
    max_total: float
    mean: Optional[float]  # marks
    median: Optional[float]
    sd: Optional[float]
    skewness: Optional[float]
    kurtosis: Optional[float]
    cic: Optional[float]  # %
    error_ratio: Optional[float]  # %
    standard_error: Optional[float]  # marks

    def percent(self, marks: Optional[float]) -> Optional[float]:
        if marks is None or not self.max_total:
            return None
        return 100.0 * marks / self.max_total


@dataclass
class QuizAnalysis:
    quiz: str
    version: str
    which_attempts: str  # first | all
    test: OverallStats
    items: list[ItemStats]

    def to_json(self) -> dict:
        out = asdict(self)
        t = self.test
        out["test"]["mean_percent"] = t.percent(t.mean)
        out["test"]["median_percent"] = t.percent(t.median)
        out["test"]["sd_percent"] = t.percent(t.sd)
        return out


# --- the statistics ---------------------------------------------------------------------

def _cov(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (len(xs) - 1)


def overall_statistics(attempts: list[QuizAttempt], item_variance_sum: float, items: int,
                    max_total: float) -> OverallStats:
    totals = [a.total for a in attempts]
    s = len(totals)
    stats = OverallStats(s, items, max_total, None, None, None, None, None, None, None, None)
    if not s:
        return stats
    mean = sum(totals) / s
    stats.mean = mean
    stats.median = statistics.median(totals)
    if s > 1:
        power2 = sum((t - mean) ** 2 for t in totals)
        stats.sd = math.sqrt(power2 / (s - 1))
        if s > 2:
            m2 = power2 / s
            m3 = sum((t - mean) ** 3 for t in totals) / s
            m4 = sum((t - mean) ** 4 for t in totals) / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2:
                stats.skewness = k3 / k2 ** 1.5
                if s > 3:
                    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
                    stats.kurtosis = k4 / (k2 * k2)
                if items > 1:
                    stats.cic = 100.0 * items / (items - 1) * (1 - item_variance_sum / k2)
                    stats.error_ratio = 100.0 * math.sqrt(max(0.0, 1 - stats.cic / 100))
                    stats.standard_error = stats.error_ratio * stats.sd / 100
    return stats


def _options(responses: list[ItemResponse]) -> list[OptionStats]:
    answered = [r for r in responses if r.chosen not in (None, "")]
    if not any(r.kind in CHOICE_KINDS or r.shown_order for r in responses):
        return []  # open questions: free text has no options to count
    counts = Counter(r.chosen for r in answered)
    correct = {r.chosen for r in answered if r.correct}
    tags: dict[str, Counter] = defaultdict(Counter)
    for r in answered:
        if not r.correct and r.misconception:
            tags[r.chosen][r.misconception] += 1
    every = {o for r in responses for o in r.shown_order} | set(counts)
    n = len(responses)
    return [
        OptionStats(option=o, count=counts.get(o, 0), fraction=counts.get(o, 0) / n if n else 0.0,
                    correct=o in correct,
                    misconception=tags[o].most_common(1)[0][0] if tags.get(o) else None)
        for o in sorted(every)
    ]


def _guess_score(responses: list[ItemResponse]) -> Optional[float]:
    kinds = {r.kind for r in responses}
    if kinds & {"truefalse"}:
        return 50.0
    sizes = [len(r.shown_order) for r in responses if r.shown_order]
    if sizes and kinds & CHOICE_KINDS:
        return 100.0 / max(sizes)
    return None


def item_statistics(attempts: list[QuizAttempt]) -> tuple[list[ItemStats], float]:
    """Per-item statistics and the sum of item mark variances (for the CIC)."""
    order: list[str] = []
    for a in attempts:
        for qid in a.responses:
            if qid not in order:
                order.append(qid)
    items: list[ItemStats] = []
    variance_sum = 0.0
    for qid in order:
        rows = [(a.responses[qid], a.total) for a in attempts if qid in a.responses]
        marks = [r.mark for r, _ in rows]
        rests = [total - r.mark for r, total in rows]
        totals = [total for _, total in rows]
        responses = [r for r, _ in rows]
        s = len(rows)
        max_mark = max(r.max_mark for r in responses)
        item = ItemStats(qid, responses[0].kind, s, max_mark, None, None, _guess_score(responses), None, None, None)
        if max_mark:
            item.facility = 100.0 * (sum(marks) / s) / max_mark
        if s > 1:
            var_x, var_rest = _cov(marks, marks), _cov(rests, rests)
            cov = _cov(marks, rests)
            cov_max = _cov(sorted(marks), sorted(rests))
            item.covariance_with_total = _cov(marks, totals)
            variance_sum += var_x
            if max_mark:
                item.sd = 100.0 * math.sqrt(var_x) / max_mark
            if var_x * var_rest:
                item.discrimination_index = 100.0 * cov / math.sqrt(var_x * var_rest)
            if cov_max:
                item.discriminative_efficiency = 100.0 * cov / cov_max
        if item.covariance_with_total is not None and item.covariance_with_total < 0:
            item.flags.append("negative covariance")
        if item.discriminative_efficiency is not None and item.discriminative_efficiency < DUBIOUS_EFFICIENCY:
            item.flags.append("efficiency under 15%")
        if item.facility is not None and (item.facility <= EXTREME_FACILITY_LOW or item.facility >= EXTREME_FACILITY_HIGH):
            item.flags.append("extremely hard" if item.facility <= EXTREME_FACILITY_LOW else "extremely easy")
        item.options = _options(responses)
        items.append(item)
    return items, variance_sum


def analyse(quiz: str, version: str, attempts: list[QuizAttempt], which: str = "first") -> QuizAnalysis:
    items, variance_sum = item_statistics(attempts)
    max_total = max((sum(r.max_mark for r in a.responses.values()) for a in attempts), default=0.0)
    return QuizAnalysis(quiz, version, which, overall_statistics(attempts, variance_sum, len(items), max_total), items)


# --- from the database --------------------------------------------------------------------

def _json_list(text: Optional[str]) -> list[str]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def load_attempts(store: "Store", which: str = "first") -> dict[tuple[str, str], list[QuizAttempt]]:
    """{(quiz, version): attempts}: complete attempts with their scored responses.

    which="first": each student's earliest complete attempt at that quiz version; "all": every one.
    Unscored responses (no max mark, e.g. self-rated flashcards) are left out.
    """
    rows = store.complete_quiz_attempts()
    chosen: dict[int, tuple[str, str, str]] = {}
    seen: set[tuple[str, str, str]] = set()
    for attempt_id, student, quiz, version, _ in rows:
        key = (student, quiz, version)
        if which == "first" and key in seen:
            continue
        seen.add(key)
        chosen[attempt_id] = key
    responses: dict[int, dict[str, ItemResponse]] = defaultdict(dict)
    for r in store.scored_responses(list(chosen)):
        if not r["max_score"]:
            continue
        responses[r["attempt_id"]][r["question_id"]] = ItemResponse(
            question_id=r["question_id"], kind=r["kind"] or "", mark=float(r["score"] or 0.0),
            max_mark=float(r["max_score"]), chosen=r["chosen"],
            correct=None if r["correct"] is None else bool(r["correct"]),
            shown_order=_json_list(r["shown_order"]), misconception=r["misconception"] or None,
        )
    out: dict[tuple[str, str], list[QuizAttempt]] = defaultdict(list)
    for attempt_id, (student, quiz, version) in chosen.items():
        if responses.get(attempt_id):
            out[(quiz, version)].append(QuizAttempt(attempt_id, student, responses[attempt_id]))
    return dict(out)


def analyse_all(store: "Store", which: str = "first") -> list[QuizAnalysis]:
    return [analyse(quiz, version, attempts, which)
            for (quiz, version), attempts in sorted(load_attempts(store, which).items())]


def misconception_counts(groups: Iterable[list[QuizAttempt]]) -> dict[str, dict]:
    """{tag: {"students": n, "responses": n, "questions": [...]}} over wrong, tagged answers."""
    students: dict[str, set[str]] = defaultdict(set)
    responses: Counter = Counter()
    questions: dict[str, set[str]] = defaultdict(set)
    for attempts in groups:
        for a in attempts:
            for r in a.responses.values():
                if r.misconception and not r.correct:
                    students[r.misconception].add(a.student)
                    responses[r.misconception] += 1
                    questions[r.misconception].add(r.question_id)
    return {tag: {"students": len(students[tag]), "responses": responses[tag],
                  "questions": sorted(questions[tag])} for tag in students}
