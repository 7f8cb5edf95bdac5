"""The untrusted side of the sandbox: the only place student code ever runs.

This file is run as a script (``python -E worker.py --zygote FD`` or ``--child FD``) and imports
nothing from the grader, only the standard library and torch. Two roles:

* zygote (Linux): imports torch and the lazy imports exercises trigger once, then forks one
  isolated child per grading session on request. It is a child subreaper, so processes that
  student code leaves behind are re-parented to it and killed when their session ends.
* child: a fresh session and process group with resource limits, a temporary working
  directory and captured output, confined further where the machine allows (confine.py:
  cgroups, namespaces, a read-only filesystem, no capabilities). It loads the student's file
  and answers calls.

Everything crossing the socket is a length-prefixed frame holding ``torch.save`` bytes of plain
containers and tensors; the trusted side reads them with ``torch.load(weights_only=True)``,
so no student object is ever unpickled there. Anything else comes back as an opaque handle.
"""

from __future__ import annotations

import json
import select
import os
import signal
import socket
import sys
import time
import traceback

if __package__:  # imported by the trusted side as grader.sandbox.worker
    from . import confine, hugepages
    from .wire import (HANDLE_TAG, TENSOR_TAG, dumps, dumps_request, loads, loads_request,
                       recv_frame, send_frame)
else:  # run as a script: this file's folder is still sys.path[0]
    import confine  # type: ignore[no-redef]
    import hugepages  # type: ignore[no-redef]
    from wire import (HANDLE_TAG, TENSOR_TAG, dumps, dumps_request, loads,  # type: ignore[no-redef]
                      loads_request, recv_frame, send_frame)

MAX_TEXT = 4000


# --- the child: runs student code --------------------------------------------------------------

def _safe_text(fn, fallback: str) -> str:
    try:
        text = fn()
        if not isinstance(text, str):
            return fallback
        return text[:MAX_TEXT]
    except BaseException:  # a hostile __str__/__repr__ must not take the worker down
        return fallback


def _encoding_problem(path: str, syntax: dict) -> dict:
    """Where a file that is not UTF-8 text goes wrong, and how to fix it (Python cannot say)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(2_000_000)
    except OSError:
        return {}
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return {"line": syntax.get("line") or 1, "column": syntax.get("column") or 1,
                "hint": "the file is saved as UTF-16; save it as UTF-8 (plain text) instead"}
    if b"\0" in raw:
        i = raw.index(b"\0")
        start = raw.rfind(b"\n", 0, i) + 1
        return {"line": raw.count(b"\n", 0, i) + 1, "column": i - start + 1,
                "text": raw[start:i].decode("utf-8", "replace")[:300],
                "hint": "remove the null byte (or save the file again as UTF-8 plain text)"}
    if "unicode error" in syntax.get("msg", "") or "utf-8" in syntax.get("msg", "").lower():
        return {"hint": "save the file as UTF-8 (most editors offer 'Save with encoding')"}
    return {}


class Child:
    def __init__(self, sock: socket.socket, config: dict):
        self.sock = sock
        self.config = config
        self.module = None
        self.student_path = config.get("student_path", "")
        self.handles: dict[int, object] = {}
        self.confinement: dict = {}

    # encoding of student values into plain data
    def encode(self, value, depth: int = 0):
        import torch

        if depth > 50:
            raise ValueError("the returned value is nested too deeply")
        kind = type(value)
        if value is None or kind in (bool, int, float, str, bytes, complex):
            return value
        if isinstance(value, torch.Tensor):
            return self._encode_tensor(value)
        if kind in (list, tuple):
            items = [self.encode(v, depth + 1) for v in value]
            return items if kind is list else tuple(items)
        if kind is dict and all(type(k) in (str, int) for k in value):
            return {k: self.encode(v, depth + 1) for k, v in value.items()}
        if kind.__name__ == "OrderedDict" and all(type(k) is str for k in value):
            return {k: self.encode(v, depth + 1) for k, v in value.items()}
        return self._handle(value)

    def _plain(self, t):
        import torch

        t = t.detach()
        if type(t) is not torch.Tensor:
            t = torch.Tensor._make_subclass(torch.Tensor, t)
        if t.is_sparse:
            t = t.to_dense()
        return t.clone()

    def _encode_tensor(self, t):
        grad = None
        if t.is_leaf and t.requires_grad and t.grad is not None:
            grad = self._plain(t.grad)
        return {
            TENSOR_TAG: self._plain(t),
            "requires_grad": bool(t.requires_grad),
            "is_leaf": bool(t.is_leaf),
            "grad_fn": type(t.grad_fn).__name__ if t.grad_fn is not None else None,
            "grad": grad,
        }

    def _handle(self, value):
        hid = len(self.handles) + 1
        self.handles[hid] = value
        kind = type(value)
        info: dict = {"callable": callable(value)}
        try:
            import torch

            if isinstance(value, torch.nn.Module):
                info["modules"] = [
                    (name, type(m).__name__) for name, m in value.named_modules() if name
                ]
                info["parameters"] = {
                    n: list(p.shape) for n, p in value.named_parameters()
                }
            if isinstance(value, torch.optim.Optimizer):
                info["optimizer"] = kind.__name__
        except BaseException:
            pass
        return {
            HANDLE_TAG: hid,
            "type": f"{kind.__module__}.{kind.__qualname__}",
            "repr": _safe_text(lambda: repr(value), f"<{kind.__name__}>"),
            "info": info,
        }

    def decode(self, value):
        if isinstance(value, dict):
            if TENSOR_TAG in value:
                t = value[TENSOR_TAG]
                if value.get("requires_grad") and t.is_floating_point():
                    t.requires_grad_(True)
                return t
            if HANDLE_TAG in value:
                return self.handles[value[HANDLE_TAG]]
            return {k: self.decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.decode(v) for v in value)
        return value

    def error(self, exc: BaseException, where: str) -> dict:
        kind = type(exc)
        frames = []
        tb = exc.__traceback__
        try:
            for fs in traceback.extract_tb(tb):
                if os.path.basename(fs.filename) == os.path.basename(self.student_path):
                    frames.append([os.path.basename(fs.filename), fs.lineno, fs.name, (fs.line or "")[:300]])
        except BaseException:
            frames = []
        info = {
            "type": getattr(kind, "__name__", "Exception"),
            "module": getattr(kind, "__module__", ""),
            "message": _safe_text(lambda: str(exc), ""),
            "frames": frames[-20:],
            "where": where,
        }
        if isinstance(exc, SyntaxError):
            info["syntax"] = {
                "line": exc.lineno,
                "column": exc.offset,
                "text": (exc.text or "").rstrip("\n")[:300],
                "msg": _safe_text(lambda: exc.msg, "invalid syntax"),
            }
            info["syntax"].update(_encoding_problem(self.student_path, info["syntax"]))
        if isinstance(exc, SystemExit):
            info["message"] = f"the code called sys.exit({_safe_text(lambda: repr(exc.code), '')})"
        if isinstance(exc, OSError) and exc.errno == 27:  # EFBIG: RLIMIT_FSIZE, i.e. the output cap
            limit = self.config.get("output_bytes") or 0
            info["message"] += (f" (the code printed or wrote more than the {limit // 2**20} MB "
                                "a file or its output may hold)")
        return {"ok": False, "error": info}

    def handle(self, request: dict) -> dict:
        op = request.get("op")
        if op == "ping":
            return {"ok": True, "value": "pong"}
        if op == "confinement":  # what confine.enter achieved, for tests and `SECURITY.md` figures
            return {"ok": True, "value": confine.privileges_report(self.confinement)}
        if op == "load":
            return self.load()
        if self.module is None:
            return {"ok": False, "error": {"type": "GraderError", "message": "no module loaded",
                                           "frames": [], "where": op}}
        target = request.get("target")
        if isinstance(target, int):
            obj = self.handles.get(target)
            label = request.get("label") or "object"
        else:
            if not hasattr(self.module, target):
                defined = sorted(n for n in vars(self.module) if not n.startswith("_"))
                return {"ok": False, "error": {
                    "type": "MissingName",
                    "message": f"your file defines no '{target}'. It defines: {', '.join(defined) or 'nothing'}",
                    "frames": [], "where": target}}
            obj = getattr(self.module, target)
            label = target
        try:
            if request.get("attr"):
                obj = getattr(obj, request["attr"])
        except BaseException as exc:  # SystemExit and KeyboardInterrupt included: they fail the call
            return self.error(exc, label)
        if op == "getattr":
            return self._reply(obj, label)
        if op == "call-each":
            return self._call_each(obj, label, request.get("calls", []))
        return self._call(obj, label, request)

    def _call(self, obj, label: str, call: dict) -> dict:
        try:
            args = self.decode(list(call.get("args", [])))
            kwargs = self.decode(dict(call.get("kwargs", {})))
            self._reseed(call.get("seed"))
            value = obj(*args, **kwargs)
        except BaseException as exc:  # SystemExit and KeyboardInterrupt included: they fail the call
            return self.error(exc, label)
        return self._reply(value, label)

    def _call_each(self, obj, label: str, calls: list) -> dict:
        """Several calls of one function in one request (a training loop's train_step per batch):
        exactly what that many "call" requests would do, without a round trip each. Stops at the
        first call that fails; its reply says which call it was."""
        values = []
        for i, call in enumerate(calls):
            reply = self._call(obj, label, call)
            if not reply["ok"]:
                reply["error"]["call"] = [i, len(calls)]
                return reply
            values.append(reply["value"])
        return {"ok": True, "value": values}

    def _reply(self, value, label: str) -> dict:
        try:
            return {"ok": True, "value": self.encode(value)}
        except BaseException as exc:
            return {"ok": False, "error": {
                "type": "UnreadableValue",
                "message": f"{label} returned a value the grader cannot read ({_safe_text(lambda: str(exc), '')})",
                "frames": [], "where": label}}

    def _reseed(self, seed) -> None:
        if seed is None:
            return
        import random

        import torch

        random.seed(seed)
        # Not torch.manual_seed: it also queues lazy seeds for CUDA, XPU and MTIA, formatting a
        # stack trace for each (~0.2 ms, on every call a training exercise makes).
        torch.default_generator.manual_seed(seed)
        if torch.cuda.is_available():
            torch.cuda.manual_seed_all(seed)
        np = sys.modules.get("numpy")
        if np is not None:
            try:
                np.random.seed(seed % (2**32))
            except Exception:
                pass

    def load(self) -> dict:
        import importlib.util

        name = self.config.get("module_name", "student")
        try:
            spec = importlib.util.spec_from_file_location(name, self.student_path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            self._reseed(self.config.get("seed"))
            spec.loader.exec_module(module)
        except BaseException as exc:
            return self.error(exc, "import")
        self.module = module
        return {"ok": True, "value": sorted(n for n in vars(module) if not n.startswith("_"))}

    def serve(self) -> None:
        while True:
            try:
                request = loads_request(recv_frame(self.sock))
            except (EOFError, OSError):
                os._exit(0)
            reply = self.handle(request)
            try:
                payload = dumps(reply)
            except BaseException as exc:
                payload = dumps({"ok": False, "error": {
                    "type": "UnreadableValue", "frames": [], "where": "reply",
                    "message": f"the value could not be sent back ({_safe_text(lambda: str(exc), '')})"}})
            try:
                send_frame(self.sock, payload)
            except OSError:
                os._exit(0)


def apply_limits(config: dict, confinement: dict | None = None) -> None:
    try:
        import resource
    except ImportError:  # Windows: the trusted side still enforces wall-clock limits
        return

    def cap(which: int, value: int) -> None:
        try:
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value if which != resource.RLIMIT_CPU else value + 1))
        except (ValueError, OSError):
            pass

    if config.get("memory_mb"):
        base = config.get("base_vm") or confine.proc_status_bytes("VmSize")  # the zygote's: ours at fork
        cap(resource.RLIMIT_AS, base + int(config["memory_mb"]) * 1024 * 1024)
    if config.get("cpu_s"):
        cap(resource.RLIMIT_CPU, int(config["cpu_s"]))
    if config.get("output_bytes"):
        cap(resource.RLIMIT_FSIZE, int(config["output_bytes"]))
    # RLIMIT_NPROC counts every process of the user, so a per-session pids cgroup is preferred.
    if config.get("nproc") and hasattr(resource, "RLIMIT_NPROC") and \
            "cgroup-pids" not in (confinement or {}).get("layers", []):
        cap(resource.RLIMIT_NPROC, int(config["nproc"]))
    if config.get("nofile"):
        cap(resource.RLIMIT_NOFILE, int(config["nofile"]))
    cap(resource.RLIMIT_CORE, 0)


def child_main(sock: socket.socket, config: dict, zygote_pid: int | None = None,
               pid_ns_init: bool = False) -> None:
    """Become an isolated session, apply limits, then serve requests until the socket closes.

    pid_ns_init: the zygote forked this process as a fresh pid namespace's init (see confine.enter)."""
    try:
        os.setsid()
    except OSError:
        pass
    confine.die_with_parent(zygote_pid)
    os.set_inheritable(sock.fileno(), False)  # a program exec'd by student code must not hold it
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.chdir(config["workdir"])
    out = os.open(config["output_path"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(out)
    os.close(devnull)
    try:  # may fork into a pid namespace: only the worker process returns
        confinement = confine.enter(config, sock.fileno(), pid_ns_init)
    except Exception as exc:  # a layer the machine refuses must not stop grading
        confinement = {"layers": [], "errors": [f"confine: {exc}"]}
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
    sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
    sys.argv = [config.get("student_path", "student.py")]
    sys.path.insert(0, config["workdir"])
    apply_limits(config, confinement)
    try:
        import torch

        threads = int(config.get("threads", 1))
        if torch.get_num_threads() != threads:  # the zygote's already is 1 (OMP_NUM_THREADS)
            torch.set_num_threads(threads)
    except Exception:
        pass
    child = Child(sock, config)
    child.confinement = confinement
    child.serve()


# --- the zygote: a warm parent that forks children -----------------------------------------------

def warm(optimizer: bool = True) -> None:
    """Load torch and the lazy imports exercises trigger, without starting thread pools' work.

    optimizer=False (--light) skips building optimizers, whose first use imports torch._dynamo
    (~1.5 s): for one grading of an exercise that trains nothing."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import importlib.util  # noqa: F401
    import random  # noqa: F401
    import warnings

    warnings.filterwarnings("ignore", message=".*NumPy.*")
    import torch
    import torch.autograd.functional  # noqa: F401
    import torch.nn as nn
    import torch.nn.functional as F
    import torch.optim as optim
    import torch.utils.checkpoint  # noqa: F401
    from torch.autograd import gradcheck  # noqa: F401

    try:
        import numpy  # noqa: F401
    except ImportError:
        pass
    model = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1), nn.Sigmoid())
    x = torch.zeros(2, 1)
    optimizers = [optim.SGD(model.parameters(), lr=0.1), optim.Adam(model.parameters(), lr=0.1)] if optimizer else []
    for opt in optimizers or [None]:
        if opt is not None:
            opt.zero_grad()
        loss = nn.MSELoss()(model(x), x) + nn.BCELoss()(model(x), x) + F.relu(x).sum()
        loss.backward()
        if opt is not None:
            opt.step()
    torch.autograd.grad((x.requires_grad_() * 2).sum(), x)
    # A request and a reply: the first torch.load and torch.save in a process set up what every
    # later one reuses (~3 ms a session would otherwise pay).
    loads_request(dumps_request({"op": "call", "args": [x], "kwargs": {}}))
    loads(dumps({"ok": True, "value": {TENSOR_TAG: x.detach(), "grad": None}}))
    import gc

    # Move everything loaded so far out of the collector's reach: a forked child's collections
    # would otherwise walk (and so copy, page by page) the whole torch heap it shares with us.
    gc.collect()
    gc.freeze()


def _set_subreaper() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


def _proc_children() -> dict[int, list[int]]:
    """{parent: children} over every process: one /proc/N/stat read per process on the machine."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


# /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN) names a process's children directly: walking a
# session's few processes that way costs a handful of reads where scanning /proc costs one per
# process on the machine, several times per session (~10 ms of the zygote's time each session).
_CHILDREN_FILES = os.path.exists("/proc/thread-self/children")


def children_of(pid: int) -> list[int]:
    if not _CHILDREN_FILES:
        return _proc_children().get(pid, [])
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found  # gone
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                found += [int(x) for x in fh.read().split()]
        except (OSError, ValueError):
            pass
    return found


def _tree(roots: list[int]) -> list[int]:
    children = None if _CHILDREN_FILES else (_proc_children() if os.path.isdir("/proc") else {})
    out, seen, todo = [], set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        out.append(pid)
        todo.extend(children_of(pid) if children is None else children.get(pid, []))
    return out


def kill_tree(roots: list[int], rounds: int = 200, wait: bool = True) -> None:
    """SIGKILL the roots and every descendant; repeat until none is left (fork bombs keep forking).

    wait=False: one pass, without waiting for them to die (`_finish_dying` completes it)."""
    roots = [r for r in roots if r > 1 and r != os.getpid()]
    for _ in range(rounds):
        if not roots:
            return
        alive = [p for p in _tree(roots) if p != os.getpid()]
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for pid in roots:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
        _reap_any()
        if not wait:
            return
        survivors = [p for p in _tree(roots) if os.path.exists(f"/proc/{p}") and not _is_zombie(p)]
        if not survivors:
            return
        time.sleep(0.005)


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return stat[stat.rfind(b")") + 2:stat.rfind(b")") + 3] in (b"Z", b"X")
    except OSError:
        return True


_statuses: dict[int, int] = {}


def _reaped(pid: int, status: int) -> None:
    _statuses[pid] = status


def _reap_any() -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _reaped(pid, status)


def _wait_exit(pid: int, grace_s: float) -> None:
    """Give a session that is already dying a moment to exit with its own status."""
    deadline = time.monotonic() + grace_s
    while pid not in _statuses and time.monotonic() < deadline:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done == pid:
            _reaped(pid, status)
            return
        time.sleep(0.005)


def describe_status(status: int | None) -> dict:
    if status is None:
        return {"code": None, "signal": None}
    if os.WIFSIGNALED(status):
        return {"code": None, "signal": os.WTERMSIG(status)}
    return {"code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None, "signal": None}


def zygote_main(ctrl: socket.socket, optimizer: bool = True) -> None:
    pidns = confine.PidNamespaceForker()  # first: its dry run forks, cheaply while the heap is small
    warm(optimizer)
    _set_subreaper()
    confine.set_not_dumpable()  # same-user student code cannot read our fds or memory
    confine.sweep_stale(_reap_any)  # sessions of a zygote that student code killed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ZygoteLoop(ctrl, pidns).run()


class ZygoteLoop:
    """The zygote's request loop: one JSON request at a time on the control socket, and between
    requests the idle work (finishing sessions closed early, collapsing the heap)."""

    def __init__(self, ctrl: socket.socket, pidns: "confine.PidNamespaceForker"):
        self.ctrl, self.pidns = ctrl, pidns
        self.pid, self.namespace = os.getpid(), confine.pid_namespace()
        self.live: set[int] = set()
        self.own_ns: set[int] = set()  # sessions forked into their own pid namespace, as its init
        # Sessions signalled but not yet waited for (kill with wait=False): pid -> a pidfd that turns
        # readable once its pid namespace is empty, or None where that has to be polled.
        self.dying: dict[int, int | None] = {}
        self.heap = hugepages.Collapser()
        self.idle_steps = 0

    def run(self) -> None:
        self.ctrl.send(json.dumps({"ready": True, "pid": self.pid}).encode())
        while True:
            self.idle()
            try:
                msg, fds, _flags, _addr = socket.recv_fds(self.ctrl, 65536, 4)
            except OSError:
                msg, fds = b"", []
            if not msg:
                break
            request = json.loads(msg)
            self.ctrl.send(self.handle(request, fds))
            if not (request.get("op") == "kill" and request.get("wait") is False):
                _reap_any()  # (a session closed early is reaped by the idle work, see kill_later)
        self.shutdown()

    def idle(self) -> None:
        """Idle work, one short step at a time, until a request waits: ending the sessions closed
        early (waited for on their pidfds, or polled, backing off while nothing changes), then
        huge pages."""
        while self.dying or self.heap.pending:
            waiting = {fd: pid for pid, fd in self.dying.items() if fd is not None}
            polled = len(waiting) < len(self.dying)
            timeout = min(0.1, 0.002 * 2 ** min(self.idle_steps, 6)) if polled else (0 if self.heap.pending else None)
            ready = select.select([self.ctrl, *waiting], [], [], timeout)[0]
            if self.ctrl in ready:
                return
            if ready:
                for fd in ready:
                    _end_in_namespace(waiting[fd], self.dying)
            elif polled:
                before = len(self.dying)
                _finish_dying(self.dying, self.live)
                self.idle_steps = 0 if len(self.dying) < before else self.idle_steps + 1
            else:
                self.heap.step()

    def handle(self, request: dict, fds: list[int]) -> bytes:
        op = request.get("op")
        if op == "spawn":
            return self.spawn(socket.socket(fileno=fds[0]), dict(request["config"]))
        if op == "kill" and request.get("wait") is False:
            return self.kill_later(int(request["pid"]))
        if op == "kill":
            return self.kill_now(int(request["pid"]), float(request.get("grace") or 0))
        if op == "many-sessions":  # worth backing the heap with huge pages (see hugepages.py)
            self.heap.start()
            return json.dumps({"ok": True, "collapsed": self.heap.collapsed}).encode()
        if op == "sweep":
            for pid in _forget(self.dying):
                _end_session(pid)
            _sweep_orphans(self.live)
            return b'{"ok": true}'
        return json.dumps({"error": f"unknown op {op!r}"}).encode()

    def spawn(self, conn: socket.socket, config: dict) -> bytes:
        confined = config.get("confine", True)
        confine.prepare_sessions(config)
        pid, fresh_ns = _fork_session(self.pidns if confined else None)
        if pid == 0:  # the session: never returns
            try:
                self.ctrl.close()
                for fd in self.dying.values():  # other sessions' pidfds are not ours
                    if fd is not None:
                        os.close(fd)
                config["cgroup_name"] = confine.session_cgroup_name(self.pid, confine.pid_outside(), self.namespace)
                child_main(conn, config, self.pid, fresh_ns)
            finally:
                os._exit(0)
        conn.close()
        self.live.add(pid)
        if fresh_ns:
            self.own_ns.add(pid)
        return json.dumps({"pid": pid}).encode()

    def kill_later(self, pid: int) -> bytes:
        """A session closed after its work: its status tells nothing, so signal it and reply at
        once; the waiting and the cgroup's removal happen while the zygote is idle."""
        self.live.discard(pid)
        if pid in self.own_ns:
            self.own_ns.discard(pid)
            self.dying[pid] = _kill_namespace(pid)
        else:
            kill_tree([pid], wait=False)
            confine.signal_session(self.pid, pid)
            self.dying[pid] = None
        return b'{"code": null, "signal": null, "forced": false}'

    def kill_now(self, pid: int, grace: float) -> bytes:
        """End a session and say how it ended (after `grace` seconds to exit on its own)."""
        _wait_exit(pid, grace)
        forced = bool(grace) and pid not in _statuses  # still running after its grace
        status = _end_session(pid)
        self.live.discard(pid)
        self.own_ns.discard(pid)
        _sweep_orphans(self.live)
        return json.dumps(describe_status(status) | {"forced": forced}).encode()

    def shutdown(self) -> None:
        ending = self.live | set(_forget(self.dying))
        kill_tree(list(ending))
        for pid in ending:
            confine.cleanup_session(self.pid, pid, _reap_any)
        _sweep_orphans(set())
        os._exit(0)


def _fork_session(pidns: "confine.PidNamespaceForker | None") -> tuple[int, bool]:
    """fork() for a session: (pid, whether the child is the init of a fresh pid namespace).
    Straight into a fresh pid namespace where the machine allows, else a plain fork."""
    if pidns is not None and pidns.available:
        try:
            return pidns.fork(), True
        except OSError:  # e.g. the machine's namespace limit: a plain fork still confines
            pass
    return os.fork(), False


def _end_session(pid: int) -> int | None:
    """Kill a session's processes, remove its cgroup, reap it; its wait status."""
    kill_tree([pid])
    confine.cleanup_session(os.getpid(), pid, _reap_any)
    if pid not in _statuses:
        try:
            _reaped(pid, os.waitpid(pid, 0)[1])
        except ChildProcessError:
            pass
    return _statuses.pop(pid, None)


def _kill_namespace(pid: int) -> int | None:
    """SIGKILL a session that is its pid namespace's init: the kernel then kills every process in
    the namespace, all of the session's, before init can be reaped. A pidfd that turns readable
    then (None: wait by polling, as for other sessions)."""
    if pid in _statuses:  # already reaped (it crashed): its number may be another process's now
        return None
    os.kill(pid, signal.SIGKILL)
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # Python < 3.9 or Linux < 5.3
        return None


def _end_in_namespace(pid: int, dying: dict[int, int | None]) -> None:
    """A session's namespace init has exited, so its namespace is empty: reap it, remove its cgroups."""
    os.close(dying[pid])
    dying[pid] = None
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            _reaped(pid, status)
    except ChildProcessError:
        pass
    if pid in _statuses and confine.remove_session(os.getpid(), pid, kill=False):
        _statuses.pop(pid, None)
        del dying[pid]  # else it is polled from now on


def _finish_dying(dying: dict[int, int | None], live: set[int]) -> None:
    """One step, never waiting, towards completing the kills that replied early (wait=False) of
    sessions without a pidfd: a session is done once it is reaped and its cgroups are removed.
    Whatever such sessions left re-parented to this subreaper is killed once none is dying."""
    for pid in [p for p, fd in dying.items() if fd is None]:
        if pid not in _statuses:  # (once reaped, its number may be another process's)
            kill_tree([pid], wait=False)  # again: whatever it forked since the last step
        if pid in _statuses and confine.remove_session(os.getpid(), pid):
            _statuses.pop(pid, None)
            del dying[pid]
    if all(fd is not None for fd in dying.values()):
        _sweep_orphans(live)


def _forget(dying: dict[int, int | None]) -> list[int]:
    """Empty `dying`, closing its pidfds; the pids it held."""
    for fd in dying.values():
        if fd is not None:
            os.close(fd)
    pids = list(dying)
    dying.clear()
    return pids


def _sweep_orphans(live: set[int]) -> None:
    """Kill processes re-parented to this subreaper that belong to no live session."""
    if not os.path.isdir("/proc"):
        return
    for _ in range(50):
        _reap_any()
        orphans = [p for p in children_of(os.getpid()) if p not in live and not _is_zombie(p)]
        if not orphans:
            return
        kill_tree(orphans)


def main(argv: list[str]) -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    # Neither this folder nor the checkout holding the grader package (an editable install puts
    # it on sys.path) stays importable: student code has no business importing the grader.
    package_root = os.path.dirname(os.path.dirname(here))
    drop = {here} if os.path.basename(package_root) in ("site-packages", "dist-packages") else {here, package_root}
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") not in drop]
    role, fd = argv[1], int(argv[2])
    if role == "--zygote":
        zygote_main(socket.socket(fileno=fd), optimizer="--light" not in argv[3:])
    elif role == "--child":
        sock = socket.socket(fileno=fd)
        config = json.loads(os.environ.pop("_GRADE_WORKER_CONFIG", "{}"))
        child_main(sock, config)
    else:
        raise SystemExit(f"unknown role {role}")


if __name__ == "__main__":
    main(sys.argv)
