"""`grade watch`: re-grade on save (debounced), Enter to re-run, polling where events don't arrive,
and a save cancels a grading that hangs. Unit tests drive the Watcher with a fake grade function;
the end-to-end test runs `grade watch` as a student would."""

from __future__ import annotations

import io
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from grader import course
from grader.app.watch import FileWatch, Request, Watcher, read_keys


class FakeGrades:
    """Records what was graded (and the file's content then); quits after `stop_after` gradings."""

    def __init__(self, watcher_files: dict[Path, str], stop_after: int):
        self.files = {name: path for path, name in watcher_files.items()}
        self.calls: list[tuple[str, str]] = []
        self.stop_after = stop_after
        self.watcher: Watcher | None = None
        self.on_call = None

    def __call__(self, name: str) -> bool:
        self.calls.append((name, self.files[name].read_text()))
        if self.on_call is not None:
            self.on_call(len(self.calls))
        if len(self.calls) >= self.stop_after:
            self.watcher.requests.put(Request("quit"))
        return True


def make_watcher(tmp_path: Path, stop_after: int, **kwargs) -> tuple[Watcher, FakeGrades, Path]:
    path = tmp_path / "ex01.py"
    path.write_text("v0")
    files = {path: "exercise1"}
    grades = FakeGrades(files, stop_after)
    watcher = Watcher(grade=grades, files=files, read_stdin=False, poll_s=60, use_events=False, **kwargs)
    grades.watcher = watcher
    return watcher, grades, path


def run_with_timeout(watcher: Watcher, seconds: float = 30) -> None:
    timer = threading.Timer(seconds, lambda: watcher.requests.put(Request("quit")))
    timer.start()
    try:
        watcher.run()
    finally:
        timer.cancel()


def test_a_burst_of_saves_is_graded_once(tmp_path):
    watcher, grades, path = make_watcher(tmp_path, stop_after=1)
    for version in ("v1", "v2", "v3"):
        path.write_text(version)
        watcher.requests.put(Request("file", "exercise1"))
    run_with_timeout(watcher)
    assert grades.calls == [("exercise1", "v3")]


def test_a_save_without_changes_is_not_graded_but_enter_reruns(tmp_path):
    watcher, grades, path = make_watcher(tmp_path, stop_after=2, first="exercise1")

    def after(n: int) -> None:
        if n == 1:  # same bytes again (a touch, or event and poll both seeing one save): skipped
            watcher.requests.put(Request("file", "exercise1"))
            threading.Timer(0.3, lambda: watcher.requests.put(Request("rerun"))).start()

    grades.on_call = after
    run_with_timeout(watcher)
    assert grades.calls == [("exercise1", "v0"), ("exercise1", "v0")]


def test_two_files_saved_together_are_both_graded(tmp_path):
    first, second = tmp_path / "ex01.py", tmp_path / "ex02.py"
    first.write_text("a")
    second.write_text("b")
    files = {first: "exercise1", second: "exercise2"}
    grades = FakeGrades(files, stop_after=2)
    watcher = Watcher(grade=grades, files=files, read_stdin=False, poll_s=60, use_events=False)
    grades.watcher = watcher
    watcher.requests.put(Request("file", "exercise2"))
    watcher.requests.put(Request("file", "exercise1"))
    run_with_timeout(watcher)
    assert grades.calls == [("exercise2", "b"), ("exercise1", "a")]


def test_q_quits_and_enter_reruns_from_the_keyboard():
    out: queue.Queue = queue.Queue()
    read_keys(out, io.StringIO("\n\nq\n"))
    assert [out.get_nowait().kind for _ in range(3)] == ["rerun", "rerun", "quit"]


def test_a_new_save_cancels_a_grading_that_hangs(tmp_path):
    watcher, grades, path = make_watcher(tmp_path, stop_after=2, first="exercise1")
    finished: list[int] = []

    def grade(name: str) -> bool:
        n = len(grades.calls) + 1
        grades(name)
        if n == 1:  # the student's first version hangs: only a cancel gets us out
            def fix() -> None:
                path.write_text("fixed")
                watcher._on_change("exercise1")  # what the file watch calls on a save

            threading.Timer(0.2, fix).start()
            time.sleep(20)
        finished.append(n)
        return True

    watcher.grade = grade
    started = time.monotonic()
    run_with_timeout(watcher)
    assert grades.calls == [("exercise1", "v0"), ("exercise1", "fixed")]
    assert finished == [2], "the hanging grading was not cancelled"
    assert time.monotonic() - started < 15


def test_a_real_ctrl_c_during_grading_stops_watching(tmp_path):
    watcher, grades, path = make_watcher(tmp_path, stop_after=99, first="exercise1")

    def grade(name: str) -> bool:
        raise KeyboardInterrupt  # no save asked for it: the student pressed Ctrl-C

    watcher.grade = grade
    with pytest.raises(KeyboardInterrupt):
        run_with_timeout(watcher)


def test_a_cancel_never_splits_a_zygote_request(tmp_path):
    watcher, grades, path = make_watcher(tmp_path, stop_after=1)
    watcher._main = threading.get_ident()
    import signal

    previous = signal.signal(signal.SIGUSR1, watcher._on_signal)
    replies: list[int] = []

    class SlowZygote:
        def spawn(self, sock, config):
            watcher._cancel = True
            watcher._signal_main()  # the cancel lands while the request is in flight
            time.sleep(0.2)
            replies.append(42)
            return 42

    guarded = watcher.guard(SlowZygote())
    watcher._grading = "exercise1"
    try:
        with pytest.raises(KeyboardInterrupt):
            guarded.spawn(None, {})
            time.sleep(5)  # the deferred cancel arrives here, after the reply was read
    finally:
        watcher._grading = None
        signal.signal(signal.SIGUSR1, previous)
    assert replies == [42]


def test_polling_sees_saves_without_file_events(tmp_path):
    path = tmp_path / "ex.py"
    path.write_text("a")
    out: queue.Queue = queue.Queue()
    watch = FileWatch({path: "exercise1"}, out, use_events=False, poll_s=0.02)
    watch.start()
    try:
        time.sleep(0.05)
        path.write_text("bb")
        assert out.get(timeout=5) == Request("file", "exercise1")
    finally:
        watch.stop()
    assert watch.mode.startswith("polling")


def test_file_events_arrive_without_polling(tmp_path):
    pytest.importorskip("watchdog")
    path = tmp_path / "ex.py"
    path.write_text("a")
    out: queue.Queue = queue.Queue()
    watch = FileWatch({path: "exercise1"}, out, use_events=True, poll_s=600)
    watch.start()
    try:
        time.sleep(0.2)
        tmp = tmp_path / "ex.py.tmp"  # editors often save by writing a copy and renaming it
        tmp.write_text("bb")
        os.replace(tmp, path)
        assert out.get(timeout=10) == Request("file", "exercise1")
    finally:
        watch.stop()


# --- end to end --------------------------------------------------------------------------------------

class WatchProcess:
    def __init__(self, workspace, *args: str):
        env = {k: v for k, v in os.environ.items() if k != "GRADER_DB"}
        env["GRADER_STUDENT"] = "tester"
        self.proc = subprocess.Popen([sys.executable, "-m", "grader", "watch", *args], cwd=workspace.root,
                                     env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def verdicts(self) -> list[str]:
        return [line.split(" · ")[0] for line in self.lines if " · watching" in line]

    def wait_verdicts(self, n: int, timeout: float = 120) -> list[str]:
        end = time.monotonic() + timeout
        while time.monotonic() < end and len(self.verdicts()) < n:
            assert self.proc.poll() is None, "\n".join(self.lines[-30:])
            time.sleep(0.02)
        assert len(self.verdicts()) >= n, "\n".join(self.lines[-30:])
        return self.verdicts()

    def send(self, text: str) -> None:
        self.proc.stdin.write(text)
        self.proc.stdin.flush()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.send("q\n")
        try:
            return self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


SOLUTION = (course.SOLUTIONS_DIR / "ex01_requires_grad.py").read_text()
HANGS = "def make_weights(values):\n    while True:\n        pass\n\n\ndef grad_of_squares(values):\n    while True:\n        pass\n"
CRASHES = "import os\nos._exit(3)\n"


def test_watch_regrades_on_save_and_survives_crashes_and_hangs(workspace):
    target = workspace.student_file(course.load().find("exercise1"))
    watch = WatchProcess(workspace, "exercise1")
    try:
        assert watch.wait_verdicts(1) == ["✗ exercise1 not yet"]  # graded at start: the stub
        target.write_text(SOLUTION)
        assert watch.wait_verdicts(2)[-1] == "✓ exercise1 passed"
        target.write_text(CRASHES)  # kills its worker at import
        assert watch.wait_verdicts(3)[-1] == "✗ exercise1 not yet"
        target.write_text(HANGS)  # would take the 10 s limit per test...
        time.sleep(1.0)
        target.write_text(SOLUTION + "\n# fixed\n")  # ...but the next save cancels it
        assert watch.wait_verdicts(4)[-1] == "✓ exercise1 passed", "the hanging version was not cancelled"
        watch.send("\n")  # Enter re-runs
        assert watch.wait_verdicts(5)[-1] == "✓ exercise1 passed"
        assert watch.stop() == 0
    finally:
        watch.stop()
    from grader.store import open_store

    store = open_store(workspace.default_db)
    try:
        assert [a["passed"] for a in store.attempts("tester", "exercise1")] == [0, 1, 0, 1, 1]
    finally:
        store.close()


def test_watch_polls_where_file_events_do_not_arrive(workspace):
    target = workspace.student_file(course.load().find("exercise3"))
    watch = WatchProcess(workspace, "--poll", "--interval", "0.05")
    try:
        while not any(line.startswith("Watching") for line in watch.lines):
            assert watch.proc.poll() is None, watch.lines
            time.sleep(0.02)
        assert watch.verdicts() == []  # nothing named: nothing graded before a save
        shutil.copyfile(course.SOLUTIONS_DIR / "ex03_backward.py", target)
        assert watch.wait_verdicts(1) == ["✓ exercise3 passed"]
        assert any("polling" in line for line in watch.lines)
    finally:
        assert watch.stop() == 0
