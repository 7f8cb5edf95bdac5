"""Open answers scored by meaning: the labelled corpora through the code behind `grade rubric`,
`grade rubric` itself, and instructors' review of free text with `grade answers`.

Figures (tests/open_answers.py computes them; the README's corpus-figures block states them):
- precision: of the concepts credited, the share the label has;
- recall: of the concepts the label has, the share credited;
- false credit: of the concepts credited, the share the label does not have (1 - precision);
  the false-positive rate (of the concepts an answer does not assert, the share credited) and
  the share of trap answers (wrong with the right words, negations, keyword lists, echoes,
  off-topic and padded answers) given any unearned credit are reported beside it.
CI fails below precision 0.9 or recall 0.9, or above false credit 0.1, over every labelled
answer (both halves of the external corpus and our own answers).
"""

from __future__ import annotations

import json

import pytest

from grader.cli import cli
from open_answers import TRAP_STYLES, evaluate, load

ALL = load("all")


def test_the_corpus_is_large_and_covers_every_open_question():
    from grader.quiz.catalog import all_quizzes
    from grader.quiz.model import OpenItem

    assert len(ALL) >= 300
    opens = {(q.name, i.id) for q in all_quizzes() for i in q.questions if isinstance(i, OpenItem)}
    covered = {(a.quiz, a.item) for a in ALL}
    assert opens <= covered
    styles = {a.style for a in ALL}
    assert {"paraphrase", "partial", "wrong-with-keywords", "keyword-list", "negation", "typo", "reordered"} <= styles


def test_precision_recall_and_false_credit_over_every_labelled_answer():
    figures = evaluate(ALL)
    summary = figures.line()
    assert figures.precision >= 0.9, summary
    assert figures.recall >= 0.9, summary
    assert figures.false_credit <= 0.1, summary


def test_trap_answers_rarely_earn_unearned_credit():
    figures = evaluate([a for a in ALL if a.style in TRAP_STYLES])
    assert figures.trap_answers >= 150
    assert figures.trap_rate <= 0.15, figures.line()


def test_the_held_back_half_is_scored_too():
    """The test half was never read while phrases were written: its figures are reported, and
    must not collapse (a guard against rules fitted to the development half)."""
    figures = evaluate(load("test"))
    assert figures.precision >= 0.85 and figures.recall >= 0.75, figures.line()


# -- grade rubric ----------------------------------------------------------------------------
def test_grade_rubric_json_matches_the_contract(runner):
    result = runner.invoke(cli, ["rubric", "recap", "how-ad-helps", "--json",
                                 "--answer", "It computes the gradients automatically.",
                                 "--answer", "It doesn't compute gradients.",
                                 "--answer", "gradients, chain rule, optimizer"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["answer"] for r in rows] == ["It computes the gradients automatically.", "It doesn't compute gradients.",
                                           "gradients, chain rule, optimizer"]
    for r in rows:
        assert set(r) == {"answer", "score", "max_score", "found", "missing", "uncertain"}
        assert r["max_score"] == 4.0 and r["score"] == len(r["found"])
        assert sorted(r["found"] + r["missing"] + r["uncertain"]) == sorted(
            ["gradients", "automatic", "update", "reduce-loss"])
    assert rows[0]["found"] == ["gradients", "automatic"]
    assert rows[1]["found"] == [] and rows[2]["found"] == []


def test_grade_rubric_reports_uncertain_concepts(runner):
    result = runner.invoke(cli, ["rubric", "recap", "manual-difficulties", "--json", "--answer",
                                 "It would be slow. Honestly though, it would not be slow at all."])
    row = json.loads(result.output)[0]
    assert row["uncertain"] == ["slow"] and row["score"] == 0


@pytest.mark.parametrize("args", [["nope", "x"], ["recap", "nope"], ["recap", "what-ad-computes"]])
def test_grade_rubric_exits_2_for_unknown_quiz_item_or_a_closed_question(runner, args):
    result = runner.invoke(cli, ["rubric", *args, "--answer", "x"])
    assert result.exit_code == 2
    assert "Error:" in result.output


def test_interactive_feedback_never_says_a_definite_missing(runner, db_path):
    answers = ["A"] * 5 + ["It computes the gradients for you.", "too slow"]
    result = runner.invoke(cli, ["--db", str(db_path), "quiz", "recap", "--seed", "1", "--plain",
                                 *[x for a in answers for x in ("--answer", a)]])
    assert result.exit_code == 0, result.output
    assert "Missing:" not in result.output
    assert "Possibly missing:" in result.output
    assert "A full answer:" in result.output


# -- grade answers ---------------------------------------------------------------------------
def _take(runner, db_path, student, open1, open2):
    answers = ["A"] * 5 + [open1, open2]
    result = runner.invoke(cli, ["--db", str(db_path), "quiz", "recap", "--seed", "1", "--json",
                                 *[x for a in answers for x in ("--answer", a)]], env={"GRADER_STUDENT": student})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _report(runner, db_path) -> dict:
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _recap_score(report, student):
    return report["quiz_best"][student]["recap"]["score"]


def _facility(report, question):
    items = [i for q in report["quizzes"] if q["quiz"] == "recap" for i in q["items"] if i["question_id"] == question]
    return items[0]["facility"]


def test_an_override_changes_the_report_the_item_analysis_and_the_csv(runner, db_path):
    paraphrase = "It figures out for every weight which way to nudge it so the error shrinks"
    for s in ("ana", "ben", "cy"):
        _take(runner, db_path, s, paraphrase, "too slow")
    _take(runner, db_path, "dee", "It computes the gradients automatically", "too slow")
    before = _report(runner, db_path)
    listed = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps", "--json"])
    assert listed.exit_code == 0, listed.output
    groups = json.loads(listed.stdout)["groups"]
    para = next(g for g in groups if any(a["answer"] == paraphrase for a in g["answers"]))
    assert len(para["answers"]) == 3 and all(a["student"] in ("ana", "ben", "cy") for a in para["answers"])
    done = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps", "--group",
                               str(para["group"]), "--found", "gradients,update,reduce-loss",
                               "--reason", "says it in other words", "--by", "prof"])
    assert done.exit_code == 0, done.output
    after = _report(runner, db_path)
    assert _recap_score(after, "ana") == _recap_score(before, "ana") + 1
    assert _recap_score(after, "dee") == _recap_score(before, "dee")
    assert _facility(after, "how-ad-helps") > _facility(before, "how-ad-helps")
    csv = runner.invoke(cli, ["--db", str(db_path), "report", "--format", "csv"]).stdout
    row = next(line for line in csv.splitlines() if line.startswith("ana,"))
    header = csv.splitlines()[0].split(",")
    assert float(row.split(",")[header.index("quiz:recap")]) == _recap_score(after, "ana")
    # Who, when and why are stored, and shown.
    shown = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps", "--json"])
    answer = next(a for g in json.loads(shown.stdout)["groups"] for a in g["answers"] if a["student"] == "ana")
    assert answer["overridden"] and answer["effective"] == answer["automatic"] + 1
    assert answer["override"]["by"] == "prof" and answer["override"]["reason"] == "says it in other words"
    assert answer["override"]["found"] == ["gradients", "update", "reduce-loss"] and answer["override"]["at"]
    # One answer on its own, then revoked: the automatic score applies again.
    one = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps", "--response",
                              str(answer["response_id"]), "--revoke"])
    assert one.exit_code == 0, one.output
    assert _recap_score(_report(runner, db_path), "ana") == _recap_score(before, "ana")


def test_confirming_a_group_keeps_the_score_and_records_the_decision(runner, db_path):
    _take(runner, db_path, "ana", "It computes the gradients automatically", "too slow")
    groups = json.loads(runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "manual-difficulties",
                                            "--json"]).stdout)["groups"]
    assert len(groups) == 1 and groups[0]["found"] == ["slow"]
    done = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "manual-difficulties", "--group", "1",
                               "--confirm", "--by", "prof"])
    assert done.exit_code == 0, done.output
    groups = json.loads(runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "manual-difficulties",
                                            "--json"]).stdout)["groups"]
    answer = groups[0]["answers"][0]
    assert answer["overridden"] and answer["effective"] == answer["automatic"] == 1.0
    assert answer["override"]["reason"] == "confirmed"


@pytest.mark.parametrize("args", [
    ["--group", "9", "--confirm"], ["--group", "1", "--score", "7"], ["--group", "1", "--found", "nonsense"],
    ["--group", "1"], ["--group", "1", "--confirm", "--revoke"],
])
def test_grade_answers_rejects_bad_decisions_with_exit_2(runner, db_path, args):
    _take(runner, db_path, "ana", "It computes the gradients automatically", "too slow")
    result = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps", *args])
    assert result.exit_code == 2, result.output


def test_grade_answers_interactive_walks_the_groups(runner, db_path):
    _take(runner, db_path, "ana", "It computes the gradients automatically", "too slow")
    _take(runner, db_path, "ben", "It makes the model bigger", "too slow")
    result = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps", "--interactive",
                                 "--by", "prof"], input="c\no\nupdate\nwrong, but the weights part is right\n")
    assert result.exit_code == 0, result.output
    assert "Stored 2 decision(s)." in result.output
    groups = json.loads(runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps",
                                            "--json"]).stdout)["groups"]
    assert all(a["overridden"] for g in groups for a in g["answers"])


def test_student_names_and_answers_are_neutralised_in_the_listing(runner, db_path):
    _take(runner, db_path, "\x1b[31mmallory", "It computes the gradients \x1b[2J automatically", "too slow")
    result = runner.invoke(cli, ["--db", str(db_path), "answers", "recap", "how-ad-helps"])
    assert result.exit_code == 0
    assert "\x1b" not in result.output
