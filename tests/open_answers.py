"""The labelled open-answer corpora and how well the rubric scorer does on them (used by
tests/test_open_answers.py and by hand: `python tests/open_answers.py [dev|test|all] [-v]`).

Two corpora, both labelled by meaning (see each file's header):
- tests/corpus/open_answers/: 357 answers written by someone who never saw the rubric phrases;
  split by position within each file: a development part (positions 0, 1, 2 modulo 4, read while
  writing phrases; at first only the even positions were, then positions 1 modulo 4 were added)
  and a test part (positions 3 modulo 4, 89 answers, only ever scored);
- tests/corpus/open_answers_own/: answers written for issue 19 before the phrases were tuned.

Scores go through grader.app.quiz.score_open_answers, the code behind `grade rubric`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent / "corpus"
CORPORA = {"external": ROOT / "open_answers", "own": ROOT / "open_answers_own"}
# Answers meant to earn less than their words suggest: the "false answers that use the right words".
TRAP_STYLES = {"wrong-with-keywords", "negation", "keyword-list", "echo", "off-topic", "verbose"}


@dataclass(frozen=True)
class Labelled:
    quiz: str
    item: str
    answer: str
    found: frozenset[str]
    style: str
    corpus: str
    half: str  # dev | test


def load(which: str = "all") -> list[Labelled]:
    out = []
    for corpus, folder in CORPORA.items():
        for path in sorted(folder.glob("*.toml")):
            quiz, item = path.stem.split("--")
            rows = tomllib.loads(path.read_text(encoding="utf-8"))["answers"]
            for i, row in enumerate(rows):
                half = "dev" if corpus == "own" or i % 4 != 3 else "test"
                out.append(Labelled(quiz, item, row["answer"], frozenset(row["found"]), row["style"], corpus, half))
    if which == "all":
        return out
    return [x for x in out if x.half == which]


@dataclass
class Figures:
    answers: int = 0
    labelled: int = 0  # concept labels
    credited: int = 0
    right: int = 0  # credited and labelled
    negatives: int = 0  # (answer, concept) pairs the label does not have
    trap_answers: int = 0
    trap_credited: int = 0  # trap answers credited with a concept their label lacks
    exact: int = 0
    errors: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.credited if self.credited else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0

    @property
    def false_credit(self) -> float:
        """Of the concepts credited, the share the label does not have (1 - precision)."""
        return (self.credited - self.right) / self.credited if self.credited else 0.0

    @property
    def false_positive_rate(self) -> float:
        """Of the concepts an answer does not assert, the share credited all the same."""
        return (self.credited - self.right) / self.negatives if self.negatives else 0.0

    @property
    def trap_rate(self) -> float:
        return self.trap_credited / self.trap_answers if self.trap_answers else 0.0

    def line(self) -> str:
        return (f"{self.answers} answers: precision {self.precision:.3f}, recall {self.recall:.3f}, "
                f"false credit {self.false_credit:.3f}, false-positive rate {self.false_positive_rate:.3f}, "
                f"trap answers given unearned credit {self.trap_rate:.3f} "
                f"({self.trap_credited}/{self.trap_answers}), exact {self.exact / max(1, self.answers):.2f}")


def evaluate(rows: list[Labelled]) -> Figures:
    from grader.app.quiz import score_open_answers

    figures = Figures()
    groups: dict[tuple[str, str], list[Labelled]] = {}
    for r in rows:
        groups.setdefault((r.quiz, r.item), []).append(r)
    for (quiz, item), members in groups.items():
        scored = score_open_answers(quiz, item, [m.answer for m in members])
        for m, s in zip(members, scored):
            got = set(s["found"])
            total = int(s["max_score"])
            figures.answers += 1
            figures.labelled += len(m.found)
            figures.credited += len(got)
            figures.right += len(got & m.found)
            figures.negatives += total - len(m.found)
            figures.exact += got == set(m.found)
            if m.style in TRAP_STYLES:
                figures.trap_answers += 1
                figures.trap_credited += bool(got - m.found)
            if got != set(m.found):
                figures.errors.append((m, sorted(got - m.found), sorted(m.found - got), s.get("uncertain", [])))
    return figures


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "dev"
    f = evaluate(load(which))
    print(which, f.line())
    if "-v" in sys.argv:
        for m, extra, lost, unsure in f.errors:
            print(f"[{m.item} {m.style} {m.half}] +{extra} -{lost} ?{unsure} | {m.answer}")
