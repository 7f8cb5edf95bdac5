"""The trusted side of the sandbox: starts workers, enforces wall-clock limits, decodes replies.

Student code never runs in this process. Replies are decoded with torch's weights-only loader,
so only tensors and plain containers can arrive; anything else the student returns stays in the
worker and is represented here by a `RemoteObject` handle.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.sandbox import confine
from grader.sandbox import wire
from grader.sandbox.protected import protect_path, protected_files  # noqa: F401 (re-exported)
from grader.sandbox.errors import (
    SandboxSetupError,
    StudentError,
    StudentLoadError,
    WorkerCrashed,
    WorkerTimeout,
)

WORKER_SCRIPT = Path(wire.__file__).resolve().with_name("worker.py")
PACKAGE_DIR = WORKER_SCRIPT.parents[1]  # grader/: hidden tests and solutions, hidden from workers
ZYGOTE_START_TIMEOUT_S = 180.0
OUTPUT_SHOWN_BYTES = 4000

SIGNAL_REASONS = {
    signal.SIGSEGV: "a segmentation fault (the process crashed)",
    signal.SIGKILL: "SIGKILL (the time or memory limit, or the code killed itself)",
    signal.SIGABRT: "SIGABRT (the process aborted)",
    getattr(signal, "SIGXCPU", -1): "SIGXCPU (it used up its CPU-time limit)",
    getattr(signal, "SIGXFSZ", -1): "SIGXFSZ (it printed more output than the limit allows)",
    signal.SIGTERM: "SIGTERM",
    getattr(signal, "SIGBUS", -1): "SIGBUS (a memory access error)",
}


@dataclass(frozen=True)
class Limits:
    """Per-session limits. Wall-clock time is enforced here; the rest by rlimits in the worker."""

    memory_mb: int = 2048
    cpu_s: int = 120
    output_bytes: int = 8 * 1024 * 1024
    nproc: int = 128  # tasks (threads count): a process bomb stops here, not at the machine's limit
    nofile: int = 256
    threads: int = 1
    disk_mb: int = 64  # the working directory's tmpfs, where the machine allows one
    shm_mb: int = 64


def confinement_settings() -> dict:
    """From the grader's environment (the worker's is scrubbed, so student code cannot change it).

    GRADER_SANDBOX_CONFINE=off turns the namespace, cgroup and privilege layers off (debugging);
    GRADER_SANDBOX_USER=auto|off|NAME picks the user a root grader runs student code as.
    """
    from grader import settings as env

    settings = {
        "confine": env.get("GRADER_SANDBOX_CONFINE") != "off",
        "user": env.get("GRADER_SANDBOX_USER") or "auto",
    }
    _check_forced_user(settings)
    return settings


_BUILD_PATH = re.compile(r" ?\(Triggered internally at [^)]*\)")


@functools.cache
def _torch_folder() -> str | None:
    return torch_dir()


def torch_dir() -> str | None:
    """Where torch is installed, without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("torch")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return locations[0] if locations else None


def _check_forced_user(settings: dict) -> None:
    """A user named in GRADER_SANDBOX_USER must be able to read torch's folder: workers import
    parts of it lazily after dropping to that user, and would otherwise all die at once with
    nothing to explain why. (The interpreter's own folders may stay private: what the worker
    needs from them is imported before it forks. "auto" checks every folder and quietly keeps
    root's uid behind the other layers when one is private.)"""
    spec = settings["user"]
    if (not settings["confine"] or spec in ("auto", "off", "none", "root", "0")
            or not sys.platform.startswith("linux") or os.geteuid() != 0):
        return
    user = confine.resolve_user(spec)
    if user is None:
        raise SandboxSetupError(f"GRADER_SANDBOX_USER={spec}: no such user on this machine.")
    where = torch_dir()
    if where is not None and not confine.readable_by(user[0], user[1], [where]):
        raise SandboxSetupError(
            f"GRADER_SANDBOX_USER={spec}: that user cannot read {where}, where torch is installed; "
            "a parent folder is probably private (e.g. made by mktemp -d). Make the path readable "
            "and searchable (chmod o+rx on each folder), or unset the variable.")


def hidden_dirs() -> list[str]:
    """What a confined worker must not see: the grader package (hidden tests, solutions) and the
    course data with its held-out labels, which a source checkout keeps outside the package."""
    from grader.course import data_dir

    dirs = [PACKAGE_DIR, data_dir().resolve()]
    return [str(d) for d in dirs if d == PACKAGE_DIR or not d.is_relative_to(PACKAGE_DIR)]


# A confined session mounts a fresh /dev (with its own /dev/shm) and /proc over the real ones, so a
# session folder below them (TMPDIR=/dev/shm) would be gone from its view: every import would fail
# and be reported as the student's FileNotFoundError.
COVERED_IN_SESSIONS = ("/dev", "/proc")
SCRATCH_FALLBACKS = ("/tmp", "/var/tmp")


def scratch_parent() -> str | None:
    """The folder session folders are made in: the temporary folder (None: tempfile's choice)
    unless a session could not see it there, then the first usable of SCRATCH_FALLBACKS."""
    tmp = os.path.realpath(tempfile.gettempdir())
    covered = [d for d in COVERED_IN_SESSIONS if tmp == d or tmp.startswith(d + os.sep)]
    if not covered:
        return None
    for folder in SCRATCH_FALLBACKS:
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK):
            return folder
    raise SandboxSetupError(f"the temporary folder {tmp} is out of the grading worker's sight (it gets "
                            f"a fresh {covered[0]}) and none of {', '.join(SCRATCH_FALLBACKS)} is writable: "
                            "set TMPDIR to a folder elsewhere.")


def scrubbed_env(workdir: Path) -> dict[str, str]:
    """The worker's whole environment: nothing from the grader's (no database path, no identity)."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def describe_exit(status: dict | None) -> str:
    if not status:
        return "stopped for an unknown reason"
    if status.get("forced"):
        return ("stopped answering without exiting and was killed (did the code close its "
                "connection, or replace itself with another program?)")
    if status.get("signal"):
        sig = status["signal"]
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else f"signal {sig}"
        return f"was killed by {SIGNAL_REASONS.get(sig, name)}"
    code = status.get("code")
    if code == 0:
        return "exited with code 0 before answering (did the code call os._exit or sys.exit?)"
    return f"exited with code {code} before answering"


def fork_available() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "recv_fds") and hasattr(os, "fork")


class Zygote:
    """A warm worker parent (Linux): torch imported once, one forked child per session."""

    def __init__(self, base_dir: Path, light: bool = False):
        self.base_dir = base_dir
        self.light = light  # skip the optimizer's lazy imports (see worker.warm)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._ctrl: socket.socket | None = None
        self._ready = False
        self._log = base_dir / "zygote.log"
        self._many = False  # see expect_many_sessions

    def start(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            return
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        home = self.base_dir / "zygote-home"
        home.mkdir(exist_ok=True)
        with open(self._log, "wb") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-E", str(WORKER_SCRIPT), "--zygote", str(theirs.fileno())]
                + (["--light"] if self.light else []),
                pass_fds=[theirs.fileno()],
                env=scrubbed_env(home),
                cwd=str(home),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl-C reaches only the grader, which then cleans up
            )
        theirs.close()
        self._ctrl = ours
        self._ready = False

    def ready_now(self) -> bool:
        """True once the zygote has said it is warm; never blocks."""
        if self._ready or self._ctrl is None:
            return self._ready
        import select

        with self._lock:
            if not self._ready and select.select([self._ctrl], [], [], 0)[0]:
                self._ensure_ready()
        return self._ready

    def _ensure_ready(self) -> None:
        if self._proc is not None and self._proc.poll() is not None:
            self._discard()  # student code killed it: sweep what its sessions left running
        if self._proc is None:
            self.start()
        if self._ready:
            return
        assert self._ctrl is not None
        self._ctrl.settimeout(ZYGOTE_START_TIMEOUT_S)
        try:
            msg = self._ctrl.recv(65536)
        except (socket.timeout, OSError):
            msg = b""
        if not msg:
            log = self._log.read_text(errors="replace")[-2000:] if self._log.exists() else ""
            raise RuntimeError(f"the grading worker failed to start:\n{log}")
        self._ready = True
        if self._many:
            self._tell_many()

    def expect_many_sessions(self) -> None:
        """Tell the zygote that many sessions will follow, so that backing its heap with huge pages
        (cheaper forks, see hugepages.py) pays off. Never waits for it to warm up."""
        with self._lock:
            self._many = True
            if self._ready:
                self._tell_many()

    def _tell_many(self) -> None:
        assert self._ctrl is not None
        try:
            self._ctrl.settimeout(60)
            socket.send_fds(self._ctrl, [b'{"op": "many-sessions"}'], [])
            self._ctrl.recv(65536)
        except OSError:
            pass  # a dead zygote shows at the next request, which starts a new one

    def _request(self, request: dict, fds: list[int] | None = None, retry: bool = True) -> dict:
        with self._lock:
            self._ensure_ready()
            assert self._ctrl is not None
            try:
                self._ctrl.settimeout(60)
                socket.send_fds(self._ctrl, [json.dumps(request).encode()], fds or [])
                reply = self._ctrl.recv(65536)
                if not reply:
                    raise EOFError
                return json.loads(reply)
            except (OSError, EOFError, ValueError):
                # Student code can kill its parent (same OS user): start a fresh zygote once.
                self._discard()
                if not retry:
                    raise
        return self._request(request, fds, retry=False)

    def _discard(self) -> None:
        if self._ctrl is not None:
            self._ctrl.close()
        if self._proc is not None:
            _kill_group(self._proc.pid)
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            confine.sweep_stale()  # its sessions' cgroups: what the student left running dies now
            confine.sweep_strays(str(self.base_dir))  # without cgroups: by folder and TMPDIR
        self._proc, self._ctrl, self._ready = None, None, False

    def spawn(self, sock: socket.socket, config: dict) -> int:
        return int(self._request({"op": "spawn", "config": config}, [sock.fileno()])["pid"])

    def kill(self, pid: int, grace_s: float = 0.0, wait: bool = True) -> dict | None:
        """SIGKILL a session and everything it started; its exit status. wait=False: the zygote
        replies once they are signalled (no status) and finishes the cleanup when idle."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                # It died (student code can kill it): sweep now, start a new one only when needed.
                self._discard()
                _kill_group(pid)
                return None
        try:
            return self._request({"op": "kill", "pid": pid, "grace": grace_s, "wait": wait}, retry=False)
        except (OSError, EOFError, ValueError):
            _kill_group(pid)
            return None

    def close(self) -> None:
        with self._lock:
            if self._ctrl is not None:
                self._ctrl.close()  # EOF: the zygote kills what is left and exits
            if self._proc is not None:
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    _kill_group(self._proc.pid)
                    self._proc.wait()
            self._proc, self._ctrl, self._ready = None, None, False


def _kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass


class Sandbox:
    """Creates isolated worker sessions. Keep one alive to keep torch warm between gradings."""

    def __init__(self, backend: str = "auto", limits: Limits | None = None, light: bool = False):
        """light: for one grading of an exercise that trains nothing; its zygote is ready ~1.5 s
        sooner, and a session that builds an optimizer pays those lazy imports itself."""
        if backend == "auto":
            from grader import settings

            backend = settings.get("GRADER_WORKER_BACKEND")
        if backend == "auto":
            backend = "fork" if fork_available() else "spawn"
        if backend == "fork" and not fork_available():
            backend = "spawn"
        self.backend = backend
        self.limits = limits or Limits()
        self.confine = confinement_settings()  # first: it may refuse the configured user
        self.base_dir = Path(tempfile.mkdtemp(prefix="grade-sandbox-", dir=scratch_parent()))
        self.zygote = Zygote(self.base_dir, light=light) if backend == "fork" else None
        self._closed = False
        confine.set_not_dumpable()  # student code running as this user cannot open our fds

    def warm(self) -> None:
        """Start the zygote now (it imports torch in parallel with the caller's own imports)."""
        if self.zygote is not None:
            self.zygote.start()

    def expect_many_sessions(self) -> None:
        """Many sessions will follow (regrade, check, watch, a test run): make each one cheaper."""
        if self.zygote is not None:
            self.zygote.expect_many_sessions()

    def ready(self) -> bool:
        """Whether a session can start without waiting for the zygote to finish warming up."""
        return self.zygote is None or self.zygote.ready_now()

    def session(self, student_file: Path, module_name: str, seed: int,
                limits: Limits | None = None) -> "Session":
        limits = limits or self.limits
        root = Path(tempfile.mkdtemp(prefix="s-", dir=self.base_dir))
        workdir = root / "work"
        workdir.mkdir()
        student_copy = workdir / student_file.name
        shutil.copyfile(student_file, student_copy)
        config = {
            "workdir": str(workdir),
            "output_path": str(root / "output.txt"),
            "student_path": str(student_copy),
            "module_name": module_name,
            "seed": seed,
            "memory_mb": limits.memory_mb,
            "cpu_s": limits.cpu_s,
            "output_bytes": limits.output_bytes,
            "nproc": limits.nproc,
            "nofile": limits.nofile,
            "threads": limits.threads,
            "disk_mb": limits.disk_mb,
            "shm_mb": limits.shm_mb,
            "hide_dirs": hidden_dirs(),
            "hide_files": protected_files(),
            **self.confine,
        }
        ours, theirs = socket.socketpair()
        try:
            if self.zygote is not None:
                pid = self.zygote.spawn(theirs, config)
                proc = None
            else:
                env = scrubbed_env(workdir) | {"_GRADE_WORKER_CONFIG": json.dumps(config)}
                proc = subprocess.Popen(
                    [sys.executable, "-E", str(WORKER_SCRIPT), "--child", str(theirs.fileno())],
                    pass_fds=[theirs.fileno()], env=env, cwd=str(workdir),
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
                pid = proc.pid
        finally:
            theirs.close()
        return Session(self, ours, pid, proc, root, student_file.name, seed)

    def confinement(self) -> dict:
        """Which confinement layers a session gets on this machine (no student code runs)."""
        probe = self.base_dir / "probe.py"
        probe.write_text("")
        session = self.session(probe, "probe", 0)
        try:
            session.set_deadline(60, "60 s")
            return dict(session._exchange({"op": "confinement"}, "reporting its confinement")["value"])
        finally:
            session.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.zygote is not None:
            self.zygote.close()
        if sys.platform.startswith("linux"):
            confine.sweep_strays(str(self.base_dir))  # anything a killed zygote could not sweep
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Session:
    """One worker process holding one loaded student module."""

    def __init__(self, sandbox: Sandbox, sock: socket.socket, pid: int,
                 proc: subprocess.Popen | None, root: Path, filename: str, seed: int):
        self.sandbox, self.sock, self.pid, self.proc = sandbox, sock, pid, proc
        self.root, self.filename, self.seed = root, filename, seed
        self.deadline: float | None = None
        self.timeout_label = ""
        self.exit_status: dict | None = None
        self.dead = False
        self.defined: list[str] = []
        self.calls = 0
        self.output_offset = 0
        self._load_sent = False

    # -- lifecycle -------------------------------------------------------------------------
    def set_deadline(self, seconds: float, label: str) -> None:
        self.deadline = time.monotonic() + seconds
        self.timeout_label = label

    def begin_test(self, seed: int, seconds: float, label: str) -> None:
        """Reuse this worker for the next test: its own seed, time limit and slice of output."""
        self.seed, self.calls = seed, 0
        self.set_deadline(seconds, label)
        self.output_offset = self._output_size()

    def send_load(self) -> None:
        """Ask the worker to import the student's file without waiting (overlaps our own work)."""
        if not self._load_sent and not self.dead:
            self._load_sent = True
            try:
                self._send({"op": "load"})
            except OSError:
                pass  # the reply side reports what happened to the worker

    def load(self) -> list[str]:
        doing = "importing your file"
        if self._load_sent:
            reply = self._receive(doing)
        else:
            self._load_sent = True
            reply = self._exchange({"op": "load"}, doing)
        if not reply["ok"]:
            raise StudentLoadError(reply["error"], self.filename)
        self.defined = list(reply["value"])
        return self.defined

    def call(self, target: str | int, *args: Any, attr: str | None = None,
             label: str | None = None, getattr_only: bool = False, **kwargs: Any) -> Any:
        from grader.sandbox.values import decode

        request = {"op": "getattr" if getattr_only else "call", "target": target, "attr": attr,
                   "label": label, **self._encode_call(args, kwargs)}
        return decode(self._reply_value(request, target, label), self)

    def call_each(self, target: str | int, calls: list[tuple[tuple, dict]], *,
                  label: str | None = None) -> list[Any]:
        """Call one function once per (args, kwargs), in order, in one round trip: the same seeds,
        limits and results as that many `call`s. The first call that raises stops the rest."""
        from grader.sandbox.values import decode

        request = {"op": "call-each", "target": target, "label": label,
                   "calls": [self._encode_call(args, kwargs) for args, kwargs in calls]}
        return decode(self._reply_value(request, target, label), self)

    def _encode_call(self, args: tuple, kwargs: dict) -> dict:
        from grader.sandbox.values import encode

        self.calls += 1
        return {"args": [encode(a) for a in args], "kwargs": {k: encode(v) for k, v in kwargs.items()},
                "seed": self.seed + self.calls}

    def _reply_value(self, request: dict, target: str | int, label: str | None) -> Any:
        what = label or (target if isinstance(target, str) else "a call")
        reply = self._exchange(request, f"running {what}")
        if not reply["ok"]:
            raise StudentError(reply["error"], self.filename)
        return reply["value"]

    def _exchange(self, request: dict, doing: str) -> dict:
        try:
            self._send(request)
        except TimeoutError:
            self.kill()
            raise WorkerTimeout(f"{doing} did not finish within {self.timeout_label or 'the time limit'} "
                                "(an infinite loop, or very slow code?)") from None
        except OSError:
            pass  # the worker is gone: _receive reports why
        return self._receive(doing)

    def _send(self, request: dict) -> None:
        if self.dead:
            return
        # A worker that stopped reading must not block the send past the deadline either.
        self.sock.settimeout(None if self.deadline is None
                             else max(0.001, self.deadline - time.monotonic()))
        try:
            wire.send_frame(self.sock, wire.dumps_request(request))
        except socket.timeout:
            raise TimeoutError from None

    def _receive(self, doing: str) -> dict:
        if self.dead:
            raise WorkerCrashed(f"the worker had already stopped ({describe_exit(self.exit_status)})")
        try:
            payload = wire.recv_frame(self.sock, self.deadline)
        except TimeoutError:
            self.kill()
            limit = self.timeout_label or "the time limit"
            raise WorkerTimeout(f"{doing} did not finish within {limit} (an infinite loop, or very slow code?)") from None
        except wire.FrameTooLarge as exc:
            self.kill()
            raise WorkerCrashed(f"{doing} sent back {exc.args[0] // 2**20} MB; the limit is "
                                f"{wire.MAX_FRAME // 2**20} MB") from None
        except (EOFError, OSError):
            # It stopped on its own: let it finish dying, so its status says why (a confined
            # session reports the worker's status a moment after the worker is gone).
            status = self.kill(grace_s=1.0)
            raise WorkerCrashed(f"the worker process {describe_exit(status)} while {doing}") from None
        try:
            reply = wire.loads(payload)
            if not isinstance(reply, dict) or "ok" not in reply:
                raise ValueError("not a reply")
        except Exception as exc:
            self.kill()
            raise WorkerCrashed(f"while {doing}, the worker sent something that is not plain data "
                                f"({type(exc).__name__}); nothing from it was trusted") from None
        return reply

    def _output_size(self) -> int:
        try:
            return (self.root / "output.txt").stat().st_size
        except OSError:
            return 0

    def output(self, limit: int = OUTPUT_SHOWN_BYTES, since: int = 0) -> str:
        """What the student's code printed (stdout and stderr) from byte `since`, capped and printable."""
        try:
            with open(self.root / "output.txt", "rb") as fh:
                fh.seek(since)
                data = fh.read(limit + 1)
        except OSError:
            return ""
        text = data[:limit].decode("utf-8", errors="replace")
        text = "".join(ch for ch in text if ch in "\n\t" or (ch.isprintable()))
        text = self._short_paths(text)
        if len(data) > limit:
            text += "\n… (output truncated)"
        return text

    def _short_paths(self, text: str) -> str:
        """Paths the student never chose, made readable: the session's working folder becomes the
        file's own name, torch's install folder `<torch>`, and torch's build-machine locations go."""
        work = str(self.root / "work")
        for folder in {work, os.path.realpath(work)}:
            text = text.replace(folder + os.sep, "").replace(folder, ".")
        torch = _torch_folder()
        if torch:
            text = text.replace(torch, "<torch>")
        return _BUILD_PATH.sub("", text)

    def kill(self, grace_s: float = 0.0, wait: bool = True) -> dict | None:
        if self.dead:
            return self.exit_status
        self.dead = True
        try:
            self.sock.close()
        except OSError:
            pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=grace_s) if grace_s else None
            except subprocess.TimeoutExpired:
                pass
            _kill_group(self.pid)
            try:
                code = self.proc.wait(timeout=10)
                self.exit_status = {"code": code, "signal": None} if code >= 0 else {"code": None, "signal": -code}
            except subprocess.TimeoutExpired:
                self.exit_status = None
        elif self.sandbox.zygote is not None:
            self.exit_status = self.sandbox.zygote.kill(self.pid, grace_s=grace_s, wait=wait)
        return self.exit_status

    def close(self) -> None:
        self.kill(wait=False)  # nobody reads the status of a session closed after its work
        shutil.rmtree(self.root, ignore_errors=True)
