"""`grade quiz` and `grade review` end to end: piped and --answer input, storage, --json, Ctrl-C."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.cli import cli
from grader.quiz.attempt import plan
from grader.quiz.catalog import find_quiz
from grader.quiz.model import LETTERS

SEED = 7


def key_answers(name: str, seed: int = SEED) -> list[str]:
    """The right answer to every question, in the order asked for `seed`."""
    out = []
    for a in plan(find_quiz(name).quiz, seed):
        item = a.item
        if a.kind in ("choice", "prediction"):
            out.append(a.letter(item.key.id))
        elif a.kind == "truefalse":
            out.append("T" if item.answer else "F")
        elif a.kind == "flashcard":
            out.append("good")
        else:
            out.append(item.model_answer.replace("\n", " "))
    return out


def wrong_letter(name: str, position: int, seed: int = SEED) -> tuple[str, str]:
    """A wrong letter for question `position` (1-based) and its option id."""
    a = plan(find_quiz(name).quiz, seed)[position - 1]
    for i, oid in enumerate(a.shown_order):
        if oid != a.item.key.id:
            return LETTERS[i], oid
    raise AssertionError


def rows(db: Path, sql: str, args=()) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def quiz(runner, db: Path, *args: str, input: str | None = None):
    return runner.invoke(cli, ["--db", str(db), "quiz", *args], input=input)


# -- taking a quiz ------------------------------------------------------------------------
def test_piped_answers_take_the_recap_and_store_every_response(runner, db_path):
    answers = key_answers("recap")
    wrong, wrong_id = wrong_letter("recap", 1)
    answers[0] = wrong
    answers[6] = "It would be slow."
    result = quiz(runner, db_path, "recap", "--seed", str(SEED), input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Question 7 of 7" in result.output and "You got 1/4 concepts." in result.output
    assert "Review what you missed:" in result.output and "Score: 9/13" in result.output

    [attempt] = rows(db_path, "select * from quiz_attempts")
    assert attempt["quiz"] == "recap" and attempt["complete"] == 1 and attempt["mode"] == "plain"
    assert attempt["seed"] == SEED and attempt["score"] == 9.0 and attempt["max_score"] == 13.0
    assert attempt["quiz_version"] == find_quiz("recap").version and attempt["finished_at"]
    responses = rows(db_path, "select * from quiz_responses order by position")
    assert [r["position"] for r in responses] == list(range(1, 8))
    first = responses[0]
    asked = plan(find_quiz("recap").quiz, SEED)[0]
    assert json.loads(first["shown_order"]) == list(asked.shown_order)
    assert first["chosen"] == wrong_id and first["correct"] == 0 and first["score"] == 0.0
    assert first["misconception"] == asked.item.option(wrong_id).misconception
    last = responses[6]
    assert last["kind"] == "open" and json.loads(last["concepts_found"]) == ["slow"]
    assert set(json.loads(last["concepts_missing"])) == {"scale", "complex", "errors"}
    assert last["score"] == 1.0 and last["max_score"] == 4.0
    assert all(r["time_s"] is None for r in responses)  # piped answers have no meaningful time


def test_answer_options_and_json_give_score_keys_and_explanations(runner, db_path):
    args = ["recap", "--seed", str(SEED), "--json"]
    for a in key_answers("recap"):
        args += ["--answer", a]
    result = quiz(runner, db_path, *args)
    assert result.exit_code == 0
    data = json.loads(result.stdout)  # exactly one JSON object on stdout
    assert data["score"] == data["max_score"] == 13.0 and data["complete"] is True
    assert data["mode"] == "answers" and data["attempt_id"] == 1 and data["stored"] is True
    first = data["questions"][0]
    item = find_quiz("recap").questions[0]
    assert first["correct_answer"]["id"] == item.key.id and first["explanation"] == item.explanation
    assert [o["letter"] for o in first["shown"]] == ["A", "B", "C", "D"]
    assert data["questions"][5]["concepts_missing"] == []
    assert rows(db_path, "select mode from quiz_attempts") == [{"mode": "answers"}]


def test_the_same_seed_asks_the_same_order_and_another_seed_shuffles():
    orders = {s: [a.shown_order for a in plan(find_quiz("recap").quiz, s)] for s in range(6)}
    assert orders[3] == [a.shown_order for a in plan(find_quiz("recap").quiz, 3)]
    assert len({tuple(o) for o in orders.values()}) > 1


def test_a_score_below_full_marks_still_exits_0(runner, db_path):
    wrong = ["F" if a == "T" else "T" for a in key_answers("myths")]
    result = quiz(runner, db_path, "myths", *sum((["--answer", a] for a in wrong), []))
    assert result.exit_code == 0 and "Score: 0/4" in result.output
    tags = [r["misconception"] for r in rows(db_path, "select misconception from quiz_responses")]
    assert tags == ["ad-is-approximate", "ad-is-symbolic", "ad-only-neural-nets", "static-graph"]


def test_each_item_type_scores_and_stores_its_answer(runner, db_path):
    # truefalse (myths), prediction (predictions), flashcard (flashcards), choice and open (recap).
    assert quiz(runner, db_path, "myths", *sum((["--answer", a] for a in key_answers("myths")), [])).exit_code == 0
    preds = key_answers("predictions")
    assert quiz(runner, db_path, "predictions", "--seed", str(SEED),
                *sum((["--answer", a] for a in preds), [])).output.count("Reading on:") == 5
    cards = ["1", "hard", "3", "easy"] + ["good"] * (len(find_quiz("flashcards").questions) - 4)
    result = quiz(runner, db_path, "flashcards", *sum((["--answer", a] for a in cards), []))
    assert result.exit_code == 0 and "Answer: A technique" in result.output
    stored = rows(db_path, "select q.kind, q.chosen, q.correct, q.score, q.max_score from quiz_responses q "
                           "join quiz_attempts a on a.id = q.attempt_id order by q.id")
    kinds = {r["kind"] for r in stored}
    assert kinds == {"truefalse", "prediction", "flashcard"}
    assert [r["chosen"] for r in stored if r["kind"] == "truefalse"] == ["false", "true", "false", "true"]
    assert all(r["correct"] == 1 for r in stored if r["kind"] in ("truefalse", "prediction"))
    flash = [r for r in stored if r["kind"] == "flashcard"]
    assert [r["chosen"] for r in flash[:4]] == ["again", "hard", "good", "easy"]
    assert all(r["correct"] is None and r["max_score"] == 0 for r in flash)


def test_typing_mistakes_are_asked_again(runner, db_path):
    result = quiz(runner, db_path, "myths", input="maybe\nF\nT\nno\ntrue\n")
    assert result.exit_code == 0
    assert "Please answer T (true) or F (false)." in result.output and "Score: 4/4" in result.output


# -- bad input ----------------------------------------------------------------------------
def test_unknown_quiz_exits_2_naming_the_closest(runner, db_path):
    result = quiz(runner, db_path, "recpa")
    assert result.exit_code == 2
    assert "Error: No quiz named 'recpa'. Did you mean: recap?" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("answers, problem", [
    (["F"], "asks 4 question(s) but 1 --answer value(s)"),
    (["F", "X", "F", "F"], "--answer 2 ('X') does not fit question 2"),
])
def test_answers_that_do_not_fit_exit_2_and_store_nothing(runner, db_path, answers, problem):
    result = quiz(runner, db_path, "myths", *sum((["--answer", a] for a in answers), []))
    assert result.exit_code == 2 and problem in result.output
    assert not db_path.exists() or rows(db_path, "select * from quiz_attempts") == []


def test_input_that_ends_early_keeps_a_partial_attempt(runner, db_path):
    result = quiz(runner, db_path, "myths", input="F\nT\n")
    assert result.exit_code == 2
    assert "Error: Input ended after 2 of 4 answers" in result.output
    [attempt] = rows(db_path, "select complete, score from quiz_attempts")
    assert attempt == {"complete": 0, "score": 2.0}


def test_no_quiz_name_is_a_usage_error(runner):
    result = runner.invoke(cli, ["quiz"])
    assert result.exit_code == 2 and "grade quiz --list" in result.output


# -- Ctrl-C -------------------------------------------------------------------------------
class InterruptAfter(io.StringIO):
    """Standard input that types some lines, then the student presses Ctrl-C."""

    def __init__(self, lines: list[str]):
        super().__init__("".join(line + "\n" for line in lines))
        self.left = len(lines)

    def readline(self, *args):  # type: ignore[override]
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().readline(*args)


def typed(monkeypatch, lines: list[str]) -> None:
    from grader.app import quiz as actions

    monkeypatch.setattr(actions.Streams, "system",
                        classmethod(lambda cls: cls(InterruptAfter(lines), sys.stdout, sys.stderr)))


def test_ctrl_c_after_two_answers_leaves_a_marked_partial_attempt(runner, db_path, monkeypatch):
    typed(monkeypatch, ["F", "F"])
    result = quiz(runner, db_path, "myths")
    assert result.exit_code == 130
    assert "Traceback" not in result.output and result.output.count("partial attempt") == 1  # said once
    [attempt] = rows(db_path, "select id, complete, finished_at, score from quiz_attempts")
    assert attempt["complete"] == 0 and attempt["finished_at"] is None and attempt["score"] == 1.0
    assert len(rows(db_path, "select * from quiz_responses")) == 2


def test_ctrl_c_before_the_first_answer_stores_nothing(runner, db_path, monkeypatch):
    typed(monkeypatch, [])
    result = quiz(runner, db_path, "myths")
    assert result.exit_code == 130 and "nothing was stored" in result.output.lower()
    assert rows(db_path, "select * from quiz_attempts") == []


def test_a_real_sigint_mid_quiz_exits_quietly_with_a_partial_attempt(tmp_path):
    db = tmp_path / "sig.db"
    env = {**os.environ, "GRADER_STUDENT": "tester"}
    env.pop("GRADER_DB", None)
    proc = subprocess.Popen([sys.executable, "-m", "grader", "--db", str(db), "quiz", "myths"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        proc.stdin.write("F\n")
        proc.stdin.flush()
        stored = False
        for _ in range(600):  # wait (up to a minute) until the first answer is stored
            if db.exists():
                try:
                    stored = rows(db, "select count(*) as n from quiz_responses")[0]["n"] == 1
                except sqlite3.OperationalError:
                    pass
            if stored or proc.poll() is not None:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    # Said in full on failure: this once exited 2 in a full run and could not be reproduced alone.
    assert stored and proc.returncode == 130, (stored, proc.returncode, out[-1500:], err[-1500:])
    assert "Traceback" not in err and (out + err).count("partial attempt") == 1  # said once
    assert rows(db, "select complete from quiz_attempts") == [{"complete": 0}]


# -- listing, speed -----------------------------------------------------------------------
def test_list_shows_every_quiz(runner):
    result = runner.invoke(cli, ["quiz", "--list"])
    assert result.exit_code == 0 and "recap" in result.output and "myths" in result.output
    data = json.loads(runner.invoke(cli, ["quiz", "--list", "--json"]).output)
    recap = next(q for q in data["quizzes"] if q["name"] == "recap")
    assert recap["kinds"] == {"choice": 5, "open": 2}


def test_quiz_and_review_never_import_torch(tmp_path):
    code = f"""
import sys
from click.testing import CliRunner
from grader.cli import cli
r = CliRunner()
assert r.invoke(cli, ["--db", {str(tmp_path / 'x.db')!r}, "quiz", "myths", "--answer", "F", "--answer", "F",
                      "--answer", "F", "--answer", "F"]).exit_code == 0
assert r.invoke(cli, ["--db", {str(tmp_path / 'x.db')!r}, "review", "--answer", "good"]).exit_code == 0
assert r.invoke(cli, ["quiz", "--list"]).exit_code == 0
print("torch" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "GRADER_STUDENT": "tester"})
    assert out.stdout.strip() == "False"


def test_without_a_database_the_quiz_runs_and_says_it_is_not_stored(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["quiz", "myths", "--answer", "F", "--answer", "F", "--answer", "F", "--answer", "F"])
    assert result.exit_code == 0 and "will not be stored" in result.output


# -- review -------------------------------------------------------------------------------
def test_review_schedules_cards_and_logs_every_review(runner, db_path):
    first = runner.invoke(cli, ["--db", str(db_path), "review", "--answer", "again", "--answer", "4", "--json"])
    assert first.exit_code == 0
    data = json.loads(first.stdout)
    reviewed = [r["card"] for r in data["reviewed"]]
    assert reviewed == ["flashcards/what-is-ad", "flashcards/why-gradients"]
    assert [r["rating_name"] for r in data["reviewed"]] == ["again", "easy"]
    again, easy = (r["due"] for r in data["reviewed"])
    assert again < easy  # "again" comes back sooner than "easy"
    logs = rows(db_path, "select card_id, rating, state from review_logs order by id")
    assert [(r["card_id"], r["rating"]) for r in logs] == [(reviewed[0], 1), (reviewed[1], 4)]
    cards = rows(db_path, "select card_id, state, due from review_cards order by card_id")
    assert {c["card_id"] for c in cards} == set(reviewed)
    assert all(json.loads(c["state"])["due"] for c in cards)

    second = json.loads(runner.invoke(cli, ["--db", str(db_path), "review", "--answer", "3", "--json"]).stdout)
    assert second["reviewed"][0]["card"] not in reviewed  # neither card is due again yet


def test_review_limit_and_nothing_due(runner, db_path):
    total = len(find_quiz("flashcards").questions)
    ratings = ["easy"] * total
    result = runner.invoke(cli, ["--db", str(db_path), "review", "--limit", str(total),
                                 *sum((["--answer", r] for r in ratings), [])])
    assert result.exit_code == 0 and f"Reviewed {total} card(s)" in result.output
    after = runner.invoke(cli, ["--db", str(db_path), "review"])
    assert after.exit_code == 0 and "No flashcards are due. The next card is due in" in after.output


def test_review_refuses_bad_ratings(runner, db_path):
    result = runner.invoke(cli, ["--db", str(db_path), "review", "--answer", "7"])
    assert result.exit_code == 2 and "1 again, 2 hard, 3 good, 4 easy" in result.output


def test_review_needs_a_database(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["review"])
    assert result.exit_code == 2 and "Error: No database" in result.output


# -- export and import commands -----------------------------------------------------------
def test_export_then_import_gift_makes_a_quiz_file_that_loads(runner, tmp_path):
    out = tmp_path / "recap.gift"
    assert runner.invoke(cli, ["export", "gift", "recap", str(out)]).exit_code == 0
    target = tmp_path / "recap-copy.toml"
    result = runner.invoke(cli, ["import", "gift", str(out), str(target)])
    assert result.exit_code == 0 and "Wrote 7 question(s)" in result.output
    from grader.quiz.model import load_quiz_file

    assert load_quiz_file(target).quiz == find_quiz("recap").quiz
    again = runner.invoke(cli, ["import", "gift", str(out), str(target)])
    assert again.exit_code == 2 and "--force" in again.output


def test_export_aiken_to_stdout_and_import(runner, tmp_path):
    result = runner.invoke(cli, ["export", "aiken", "pipeline", "-"])
    assert result.exit_code == 0 and "ANSWER: " in result.stdout
    src = tmp_path / "p.txt"
    src.write_text(result.stdout)
    assert runner.invoke(cli, ["import", "aiken", str(src), str(tmp_path / "p.toml")]).exit_code == 0


def test_import_errors_are_one_line_and_exit_2(runner, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("::n::When?{#1822:5}\n")
    result = runner.invoke(cli, ["import", "gift", str(bad), str(tmp_path / "ok.toml")])
    assert result.exit_code == 2 and "numerical questions are not supported" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["import", "gift", str(bad), str(tmp_path / "Bad Name.toml")])
    assert result.exit_code == 2 and "lowercase words" in result.output
    result = runner.invoke(cli, ["export", "gift", "nope", str(tmp_path / "x.gift")])
    assert result.exit_code == 2 and "No quiz named 'nope'" in result.output


def test_piped_answers_with_json_keep_stdout_to_one_object(runner, db_path):
    result = quiz(runner, db_path, "myths", "--json", input="F\nT\nF\nT\n")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["score"] == 4.0 and data["mode"] == "plain" and len(data["questions"]) == 4


def test_a_malformed_quiz_file_is_a_one_line_error(runner, db_path, tmp_path, monkeypatch):
    folder = tmp_path / "quizzes"
    folder.mkdir()
    (folder / "broken.toml").write_text(
        'format_version = 1\ntitle = "B"\n[[questions]]\nid = "q1"\nkind = "truefalse"\nprompt = "p"\n'
        'explanation = "e"\nanswer = "maybe"\n', encoding="utf-8")
    monkeypatch.setattr("grader.course.quizzes_dir", lambda: folder)
    result = quiz(runner, db_path, "broken", "--answer", "T")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Error: " in result.output and "broken.toml: question 1 (id 'q1').answer:" in result.output
    listed = runner.invoke(cli, ["quiz", "--list"])
    assert listed.exit_code == 0 and "broken" in listed.output and "cannot be loaded" in listed.output
