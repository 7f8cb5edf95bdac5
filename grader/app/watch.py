"""`grade watch`: re-grade the exercise being edited on every save, with the worker kept warm.

Three ways a re-run is asked for, so it works on every filesystem:
- file events (watchdog), where the OS delivers them;
- polling the files' mtime and size: a backstop with events, the only source with --poll
  (network drives, WSL on a Windows drive, where events often never arrive);
- Enter on the terminal re-runs the last exercise; `q` quits (on a terminal, at once).

A save that arrives while the previous version is still being graded (say it hangs) cancels
that grading: the main thread gets SIGUSR1, which becomes a KeyboardInterrupt that pytest
turns into a partial run. Requests to the zygote are never cut in half (see _Guard).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

DEBOUNCE_S = 0.02  # editors write a file in a few steps; a save that lands later cancels and re-grades
EVENTS_BACKSTOP_POLL_S = 1.0
POLL_S = 0.1


def file_digest(path: Path) -> Optional[str]:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass(frozen=True)
class Request:
    kind: str  # "file" (a watched file changed) | "rerun" (Enter) | "quit"
    name: str = ""  # the exercise, for "file"


class FileWatch:
    """Puts a Request("file", name) on `out` whenever a watched file's stat changes."""

    def __init__(self, files: dict[Path, str], out: "queue.Queue[Request]", *, use_events: bool = True,
                 poll_s: float | None = None, on_change: Callable[[str], None] | None = None):
        self.files = {p.resolve(): name for p, name in files.items()}
        self.out = out
        self.on_change = on_change or (lambda name: None)
        self.use_events = use_events and _events_available()
        self.poll_s = poll_s if poll_s is not None else (EVENTS_BACKSTOP_POLL_S if self.use_events else POLL_S)
        self._stop = threading.Event()
        self._observer = None
        self._stats = {p: self._stat(p) for p in self.files}
        self._lock = threading.Lock()

    @property
    def mode(self) -> str:
        return f"file events + polling every {self.poll_s:g} s" if self.use_events else \
            f"polling every {self.poll_s:g} s"

    @staticmethod
    def _stat(path: Path) -> tuple[int, int] | None:
        try:
            st = path.stat()
            return st.st_mtime_ns, st.st_size
        except OSError:
            return None

    def _changed(self, path: Path) -> None:
        path = Path(os.path.abspath(path))
        name = self.files.get(path)
        if name is None:
            return
        with self._lock:
            self._stats[path] = self._stat(path)
        self.out.put(Request("file", name))
        self.on_change(name)

    def _poll(self) -> None:
        while not self._stop.wait(self.poll_s):
            for path in self.files:
                now = self._stat(path)
                with self._lock:
                    changed = now != self._stats[path]
                if changed:
                    self._changed(path)

    def start(self) -> None:
        threading.Thread(target=self._poll, name="grade-watch-poll", daemon=True).start()
        if self.use_events:
            try:
                self._observer = _start_observer(self, {p.parent for p in self.files})
            except Exception:  # e.g. inotify watch limit reached: polling alone still works
                self.use_events = False
                self.poll_s = min(self.poll_s, POLL_S)

    def stop(self) -> None:
        self._stop.set()
        if self._observer is not None:
            with contextlib.suppress(Exception):
                self._observer.stop()


def _events_available() -> bool:
    try:
        import watchdog.observers  # noqa: F401
    except ImportError:
        return False
    return True


def _start_observer(watch: FileWatch, folders: set[Path]):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for attr in ("src_path", "dest_path"):
                path = getattr(event, attr, "")
                if path:
                    watch._changed(Path(os.fsdecode(path)))

    observer = Observer()
    observer.daemon = True
    for folder in folders:
        observer.schedule(Handler(), str(folder), recursive=False)
    observer.start()
    return observer


def read_keys(out: "queue.Queue[Request]", stream=None) -> None:
    """Enter re-runs, `q` quits. On a terminal in single-key mode (see `single_keys`) each key
    counts at once; otherwise line by line (`q` then Enter). Returns at end of input (then only
    saves trigger a run)."""
    stream = stream or sys.stdin
    try:
        if _is_cbreak(stream):
            fd = stream.fileno()
            while True:
                key = os.read(fd, 1)
                if not key:
                    return
                if key.lower() in (b"q", b"\x04"):  # q, or Ctrl-D
                    out.put(Request("quit"))
                    return
                elif key in (b"\n", b"\r"):
                    out.put(Request("rerun"))
        for line in stream:
            out.put(Request("quit") if line.strip().lower() in ("q", "quit", "exit") else Request("rerun"))
    except (OSError, ValueError):
        pass


def _is_cbreak(stream) -> bool:
    try:
        import termios

        return stream.isatty() and not (termios.tcgetattr(stream.fileno())[3] & termios.ICANON)
    except (ImportError, OSError, ValueError, AttributeError):
        return False


@contextlib.contextmanager
def single_keys(stream=None) -> Iterator[None]:
    """While inside, a terminal on `stream` delivers each key at once (no Enter needed; Ctrl-C still
    interrupts); restored on the way out. Elsewhere (a pipe, Windows) nothing changes."""
    stream = stream or sys.stdin
    try:
        import termios
        import tty

        fd = stream.fileno()
        saved = termios.tcgetattr(fd) if stream.isatty() else None
    except (ImportError, OSError, ValueError, AttributeError):
        saved = None
    if saved is None:
        yield
        return
    tty.setcbreak(fd)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


# --- cancelling a grading -------------------------------------------------------------------------

class _Guard:
    """Wraps the sandbox's zygote so a cancel never lands between a control request and its reply
    (the next request would read the stale reply): inside, a cancel waits until the reply is in."""

    def __init__(self, zygote, watcher: "Watcher"):
        self._zygote = zygote
        self._watcher = watcher

    @contextlib.contextmanager
    def _critical(self) -> Iterator[None]:
        self._watcher._critical += 1
        try:
            yield
        finally:
            self._watcher._critical -= 1
            if not self._watcher._critical and self._watcher._deferred:
                self._watcher._deferred = False
                self._watcher._signal_main()  # delivered at the next bytecode, outside

    def spawn(self, sock, config):
        with self._critical():
            return self._zygote.spawn(sock, config)

    def kill(self, pid, grace_s: float = 0.0, wait: bool = True):
        with self._critical():
            return self._zygote.kill(pid, grace_s=grace_s, wait=wait)

    def __getattr__(self, name):
        return getattr(self._zygote, name)


# --- the loop -------------------------------------------------------------------------------------

@dataclass
class Watcher:
    """Calls `grade(name)` whenever the exercise `name` should be (re-)graded."""

    grade: Callable[[str], bool]  # grades and reports; returns whether the grading completed
    files: dict[Path, str]
    first: Optional[str] = None  # graded at start (the exercise named on the command line)
    use_events: bool = True
    poll_s: float | None = None
    read_stdin: bool = True
    debounce_s: float = DEBOUNCE_S
    requests: "queue.Queue[Request]" = field(default_factory=queue.Queue)
    last: Optional[str] = None
    _grading: Optional[str] = None
    _graded_digest: dict[str, Optional[str]] = field(default_factory=dict)
    _cancel: bool = False
    _critical: int = 0
    _deferred: bool = False
    _main: int = 0

    @property
    def cancelled(self) -> bool:
        """Whether a newer save has cancelled the grading in progress."""
        return self._cancel

    def path_of(self, name: str) -> Path:
        return next(p for p, n in self.files.items() if n == name)

    # called from the watch threads
    def _on_change(self, name: str) -> None:
        if self._grading != name or self._cancel:
            return
        if file_digest(self.path_of(name)) == self._graded_digest.get(name):
            return  # touched, not changed
        self._cancel = True
        self._signal_main()

    def _signal_main(self) -> None:
        if hasattr(signal, "pthread_kill") and hasattr(signal, "SIGUSR1"):
            signal.pthread_kill(self._main, signal.SIGUSR1)
        else:  # Windows: no zygote there, so no control request to protect
            import _thread

            _thread.interrupt_main()

    def _on_signal(self, signum, frame) -> None:
        if not self._cancel or self._grading is None:
            return
        if self._critical:
            self._deferred = True
            return
        raise KeyboardInterrupt

    def guard(self, zygote):
        return _Guard(zygote, self)

    def _next(self, timeout: float | None = None) -> Optional[Request]:
        try:
            return self.requests.get(timeout=timeout)
        except queue.Empty:
            return None

    def _collect(self) -> tuple[list[str], bool]:
        """Wait for a request, then for the burst to end: (exercises to grade, quit)."""
        burst = [self._next()]
        while (more := self._next(self.debounce_s)) is not None:
            burst.append(more)
        if any(r.kind == "quit" for r in burst):
            return [], True
        saved = dict.fromkeys(r.name for r in burst if r.kind == "file")
        # The same bytes as last graded: a touch, or events and polling both seeing one save.
        changed = [n for n in saved if file_digest(self.path_of(n)) != self._graded_digest.get(n)]
        if any(r.kind == "rerun" for r in burst) and self.last is not None and self.last not in changed:
            changed.append(self.last)
        return changed, False

    def run(self, ready: Callable[[], None] | None = None) -> None:
        """Until `q` or Ctrl-C (KeyboardInterrupt propagates). `ready` runs once the files are
        watched (saves made meanwhile are queued, not missed)."""
        self._main = threading.get_ident()
        previous = None
        if hasattr(signal, "SIGUSR1"):
            previous = signal.signal(signal.SIGUSR1, self._on_signal)
        watch = FileWatch(self.files, self.requests, use_events=self.use_events, poll_s=self.poll_s,
                          on_change=self._on_change)
        watch.start()
        keys = single_keys() if self.read_stdin else contextlib.nullcontext()
        keys.__enter__()
        if self.read_stdin:
            threading.Thread(target=read_keys, args=(self.requests,), name="grade-watch-keys", daemon=True).start()
        try:
            if ready is not None:
                ready()
            pending = [self.first] if self.first else []
            while True:
                if not pending:
                    pending, quit_ = self._collect()
                    if quit_:
                        return
                    continue
                name = pending.pop(0)
                if not self._run_one(name):
                    pending.insert(0, name)  # cancelled by a newer save: grade that version now
        finally:
            keys.__exit__(None, None, None)
            watch.stop()
            if previous is not None:
                signal.signal(signal.SIGUSR1, previous)

    def _run_one(self, name: str) -> bool:
        """Grade `name`; False when a newer save cancelled it (its queued events then match the
        digest taken when it is re-graded, so they are skipped)."""
        self.last = name
        self._cancel = False
        self._graded_digest[name] = file_digest(self.path_of(name))
        complete = False
        try:
            self._grading = name
            complete = self.grade(name)
            self._grading = None
        except KeyboardInterrupt:
            self._grading = None
            if not self._cancel:
                raise
        finally:
            self._grading = None
        if self._cancel:
            self._cancel = False
            return False
        if not complete:
            raise KeyboardInterrupt  # pytest swallowed a real Ctrl-C: the run is partial, stop
        return True
