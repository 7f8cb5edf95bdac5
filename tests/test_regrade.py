"""grade regrade: authoritative scores from the collected code, in parallel, resumable."""

from __future__ import annotations

from pathlib import Path

from grader.cli import cli
from grader import course
from grader.instructor.collect import collect
from grader.instructor.regrade import pending_jobs, regrade
from grader.instructor.seeds import stable_seed
from grader.store import open_store
from test_bundles_support import class_bundles, make_bundle

# Worked out by hand from the code in each bundle (see test_bundles_support).
EXPECTED = {
    ("ada", "exercise1"): 5.0, ("ada", "exercise2"): 4.0, ("ada", "exercise3"): 4.0,
    ("ben", "exercise1"): 5.0, ("ben", "exercise2"): 0.0, ("ben", "exercise3"): 0.0,
    ("cy", "exercise1"): 1.0, ("cy", "exercise2"): 4.0, ("cy", "exercise3"): 4.0,
}


def _collected(tmp_path: Path):
    store = open_store(tmp_path / "class.db")
    collect(store, class_bundles(tmp_path), set(course.load().names()))
    return store


def _regraded(store) -> dict[tuple[str, str], float]:
    return {(r["student"], r["exercise"]): r["score"] for r in store.db.query(
        """select s.name as student, a.exercise, a.score from attempts a join students s on s.id = a.student_id
           where a.origin = 'regrade'""")}


def test_regrade_resumes_after_an_interruption(tmp_path, sandbox):
    store = _collected(tmp_path)
    manifest = course.load()
    seen = []

    def stop_after_two(done, total, job, result, error):
        seen.append((job.student, job.exercise, result.score, error))
        if done == 2:
            raise KeyboardInterrupt  # as if Ctrl-C arrived after the second grading

    first = regrade(store, manifest, workers=1, progress=stop_after_two, sandbox=sandbox)
    assert first.interrupted and first.total == 9 and first.graded == 2
    assert seen == [("ada", "exercise1", 5.0, None), ("ada", "exercise2", 4.0, None)]
    assert len(_regraded(store)) == 2  # what finished is stored
    todo, done = pending_jobs(store, manifest)
    assert (len(todo), done) == (7, 2)

    second = regrade(store, manifest, workers=1, sandbox=sandbox)
    assert not second.interrupted and (second.total, second.graded, second.already_done) == (7, 7, 2)
    assert _regraded(store) == EXPECTED
    assert store.db.execute("select count(*) from attempts where origin = 'regrade'").fetchone()[0] == 9  # once each

    third = regrade(store, manifest, workers=1, sandbox=sandbox)
    assert (third.total, third.graded, third.already_done) == (0, 0, 9)

    row = store.db.execute("""select a.seed, a.source_sha256, a.grader_version from attempts a join students s
                              on s.id = a.student_id where s.name = 'cy' and a.exercise = 'exercise1'
                              and a.origin = 'regrade'""").fetchone()
    assert row[0] == stable_seed("exercise1", row[1]) and row[2] == "0.1.0"

    # A newer bundle from ben changes only exercise 2: only that file needs regrading.
    newer = make_bundle(tmp_path, "ben", created="16:00:00", code=("solution", "solution", "stub"))
    collect(store, [newer], set(manifest.names()))
    todo, done = pending_jobs(store, manifest)
    assert [(j.student, j.exercise) for j in todo] == [("ben", "exercise2")] and done == 8
    store.close()


def test_parallel_regrade_from_the_command_line(tmp_path, runner):
    _collected(tmp_path).close()
    db = str(tmp_path / "class.db")
    res = runner.invoke(cli, ["--db", db, "regrade", "--jobs", "2"])
    assert res.exit_code == 0, res.output
    assert "Regraded 9 of 9 gradings." in res.output
    store = open_store(Path(db))
    assert _regraded(store) == EXPECTED
    passed = {(r[0], r[1]) for r in store.db.execute(
        """select s.name, a.exercise from attempts a join students s on s.id = a.student_id
           where a.origin = 'regrade' and a.passed = 1""").fetchall()}
    store.close()
    assert passed == {k for k, v in EXPECTED.items() if k != ("cy", "exercise1") and v > 0}
    res = runner.invoke(cli, ["--db", db, "regrade", "--jobs", "2"])
    assert res.exit_code == 0 and "Nothing to regrade: all 9 gradings are up to date." in res.output


def test_regrade_with_nothing_collected(tmp_path, runner):
    res = runner.invoke(cli, ["--db", str(tmp_path / "empty.db"), "regrade"])
    assert res.exit_code == 0
    assert "no collected submissions" in res.output and "grade collect" in res.output


def test_parallel_gradings_are_handed_out_longest_first(tmp_path):
    """With several grading processes the longest go first (by each exercise's last grading, else
    a guess: training takes longer), so the last to finish are short and no core idles at the end."""
    from grader.engine.pool import Job, longest_first

    manifest = course.load()
    trains = next(ex.name for ex in manifest.exercises if ex.targets)
    store = open_store(tmp_path / "d.db")
    sid = store.db["students"].insert({"name": "ada", "created_at": ""}).last_pk
    for exercise, seconds in (("exercise1", 0.2), ("exercise2", 3.0), ("exercise1", 0.9)):
        store.db["attempts"].insert({"student_id": sid, "exercise": exercise, "duration_s": seconds})
    jobs = [Job(name, tmp_path / f"{name}.py") for name in ("exercise1", trains, "exercise2", "exercise3")]
    longest_first(jobs, store.last_durations(), manifest.exercises)
    # exercise2's 3.0 s, the guess for one that trains (2.0 s), exercise1's last 0.9 s, exercise3's guess
    assert [job.exercise for job in jobs] == ["exercise2", trains, "exercise1", "exercise3"]
    store.close()
