"""Concept matching for open questions: which rubric concepts does a free-text answer name?

A concept is found when any of its phrases occurs in the answer. Matching ignores case and
punctuation, strips common English endings (gradients ~ gradient, computing ~ computes),
forgives small typos in longer words (one edit from 5 letters, two from 8, a swap of two
neighbouring letters counting as one, the first letter right), skips little words (the, of, to, ...) and lets one
extra word sit between a phrase's words ("tracks each recorded operation" matches
"track operations"). Short words must match exactly, so
"loss" never matches "lose".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from grader.quiz.model import Concept

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['\u2019]s\b")  # "the model's weights": drop the 's
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly", "e")
MAX_GAP = 1  # extra words allowed between two words of a phrase
# Dropped from answers and phrases alike, so "update the weights" matches "update weights".
STOPWORDS = frozenset("a an the of to for and its it their this that these those all each every our we you".split())


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    found = _WORD.findall(_POSSESSIVE.sub("", text))
    kept = [w for w in found if w not in STOPWORDS]
    return kept or found


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word  # loss, process: not plurals
            return word[: -len(suffix)]
    return word


def _allowed_edits(length: int) -> int:
    return 0 if length < 5 else 1 if length < 8 else 2


@lru_cache(maxsize=16384)
def similar(expected: str, typed: str) -> bool:
    """Same word up to endings and a few typos (optimal string alignment distance).

    The allowance follows the expected (phrase) word, so "eror" still matches "error".
    """
    if expected == typed:
        return True
    sa, sb = stem(expected), stem(typed)
    if sa == sb:
        return True
    limit = _allowed_edits(len(expected))
    # Typos rarely hit the first letter; requiring it keeps "radiant" from passing as "gradient".
    if limit == 0 or sa[:1] != sb[:1] or abs(len(sa) - len(sb)) > limit:
        return False
    return _osa_distance(sa, sb, limit) <= limit


def _osa_distance(a: str, b: str, limit: int) -> int:
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def phrase_in(phrase: Sequence[str], answer: Sequence[str]) -> bool:
    """Do the phrase's words occur in order, each at most MAX_GAP words after the previous?"""
    if not phrase:
        return False

    def rest_matches(pi: int, start: int) -> bool:
        if pi == len(phrase):
            return True
        for k in range(start, min(start + MAX_GAP + 1, len(answer))):
            if similar(phrase[pi], answer[k]) and rest_matches(pi + 1, k + 1):
                return True
        return False

    return any(similar(phrase[0], w) and rest_matches(1, i + 1) for i, w in enumerate(answer))


@dataclass(frozen=True)
class RubricResult:
    found: list[str]  # concept ids, in rubric order
    missing: list[str]
    names_found: list[str]
    names_missing: list[str]

    @property
    def summary(self) -> str:
        total = len(self.found) + len(self.missing)
        return f"You got {len(self.found)}/{total} concepts."


def match_concepts(answer: str, rubric: Sequence[Concept]) -> RubricResult:
    tokens = words(answer)
    found, missing = [], []
    for concept in rubric:
        hit = any(phrase_in(words(p), tokens) for p in concept.phrases)
        (found if hit else missing).append(concept)
    return RubricResult(
        found=[c.id for c in found],
        missing=[c.id for c in missing],
        names_found=[c.name for c in found],
        names_missing=[c.name for c in missing],
    )
