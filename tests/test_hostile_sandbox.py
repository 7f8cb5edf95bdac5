"""The sandbox's own promises: which confinement layers a machine gets, and the fallbacks.

The corpus (test_hostile_corpus.py) shows outcomes; these tests pin the mechanisms, so losing a
layer (a refactor, a machine change) fails loudly instead of silently weakening the sandbox.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox import confine
from grader.sandbox.client import Sandbox, torch_dir
from grader.sandbox.errors import SandboxSetupError
from hostile import _harness as h

LINUX = sys.platform.startswith("linux")


def _namespaces_allowed() -> bool:
    if not LINUX or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "-n", "-p", "-f", "true"], capture_output=True)
    return probe.returncode == 0


def _pids_cgroup_writable() -> bool:
    parent = confine.own_cgroup_dirs(("pids",)).get("pids")
    if not parent or os.geteuid() != 0:
        return False
    probe = os.path.join(parent, f"grader-probe-{os.getpid()}")
    try:
        os.mkdir(probe)
    except OSError:
        return False
    os.rmdir(probe)
    return True


def test_the_confinement_layers_this_machine_allows_are_all_in_place(sandbox):
    report = sandbox.confinement()
    layers = set(report["layers"])
    if not LINUX or os.geteuid() != 0 or _namespaces_allowed():
        assert report["errors"] == [], report  # nothing was attempted that the machine refuses
    if not LINUX:
        assert layers == set()
        return
    if os.geteuid() != 0:
        # Without privileges only rlimits and the trusted side's limits apply (SECURITY.md).
        assert report["uid"] == os.geteuid()
        return
    assert report["capabilities"] == 0 and report["no_new_privs"] is True
    if _namespaces_allowed():
        assert {"mount-ns", "net-ns", "ipc-ns", "pid-ns", "private-proc", "read-only-fs",
                "workdir-tmpfs", "minimal-dev"} <= layers, layers
        assert str(h.REPO / "grader") in report["hidden"]
    if _pids_cgroup_writable():
        assert "cgroup-pids" in layers, layers


@pytest.mark.skipif(not _namespaces_allowed(), reason="needs root with mount/pid/net namespaces")
def test_a_confined_worker_sees_what_the_layers_promise(sandbox, tmp_path):
    from grader.course import data_dir as course_data_dir

    db = tmp_path / "g.db"
    h.seed_database(db)  # opening the store registers it as hidden from later sessions
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, socket\n"
        f"DB = {str(db)!r}\n"
        "def look():\n"
        "    out = {'db_bytes': len(open(DB, 'rb').read()), 'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}\n"
        "    out['dev'] = sorted(os.listdir('/dev'))\n"
        f"    out['grader'] = os.listdir({str(h.REPO / 'grader')!r})\n"
        f"    out['data'] = os.listdir({str(course_data_dir())!r})\n"
        "    for path in ('/tmp/escape', os.path.expanduser('~/../escape')):\n"
        "        try:\n"
        "            open(path, 'w').close(); out['wrote ' + path] = True\n"
        "        except OSError as exc:\n"
        "            out['wrote ' + path] = exc.strerror\n"
        "    open('mine.txt', 'w').write('ok')  # the working directory stays writable\n"
        "    out['uid'] = os.getuid()\n"
        "    return out\n")
    session = sandbox.session(probe, "probe", 0)
    try:
        session.set_deadline(30, "30 s")
        session.load()
        seen = session.call("look")
    finally:
        session.close()
    assert seen["db_bytes"] == 0, "the database is visible to student code"
    assert seen["grader"] == [], "the grader's package (hidden tests) is visible"
    assert seen["data"] == [], "the course data (held-out labels) is visible"
    assert max(seen["pids"]) < 50 and 1 in seen["pids"], "the worker sees processes outside its session"
    assert set(seen["dev"]) <= {"null", "zero", "full", "random", "urandom", "fd", "stdin", "stdout",
                                "stderr", "shm"}, seen["dev"]
    assert all(v == "Read-only file system" for k, v in seen.items() if k.startswith("wrote ")), seen


def _ns_pids(pid: int) -> list[int]:
    """The pid in every pid namespace the process is in, outermost first (/proc's NSpid)."""
    with open(f"/proc/{pid}/status") as fh:
        return [int(x) for x in next(line for line in fh if line.startswith("NSpid:")).split()[1:]]


SESSION_PROBE = (
    "import ctypes, os, signal\n"
    "def who():\n"
    "    return [os.getpid(), os.getppid()]\n"
    "def crash():\n"
    "    ctypes.string_at(0)\n"
    "def leave(code):\n"
    "    os._exit(code)\n"
    "def kill_self(name):\n"
    "    os.kill(os.getpid(), getattr(signal, name))\n"
    "    return 'still here'\n"
    "def leave_child(token):\n"
    "    import subprocess, sys\n"
    "    subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', token])\n")


@contextlib.contextmanager
def _probe_session(box: Sandbox, tmp_path: Path):
    """A session of SESSION_PROBE, loaded, closed afterwards."""
    probe = tmp_path / "probe.py"
    probe.write_text(SESSION_PROBE)
    session = box.session(probe, "probe", 0)
    try:
        session.set_deadline(60, "60 s")
        session.load()
        yield session
    finally:
        session.close()


@pytest.mark.skipif(not _namespaces_allowed(), reason="needs root with mount/pid/net namespaces")
def test_a_confined_session_is_one_process_the_worker_as_its_namespaces_init(sandbox, tmp_path):
    """The zygote forks the worker straight into a fresh pid namespace, as its init, and waits for
    it itself: no process outside the namespace mirrors the worker's exit and no init inside it
    forks the worker (each a fork and an exit of the warm interpreter per session)."""
    from grader.sandbox.worker import children_of

    with _probe_session(sandbox, tmp_path) as session:
        assert session.call("who") == [1, 0]  # pid 1; its parent, the zygote, is outside
        assert session.pid in children_of(sandbox.zygote._proc.pid)
        assert _ns_pids(session.pid)[-1] == 1, "the zygote's child is not its namespace's init"
        assert children_of(session.pid) == []


@pytest.mark.skipif(not _namespaces_allowed(), reason="needs root with mount/pid/net namespaces")
@pytest.mark.parametrize("backend", ["fork", "spawn"])
def test_student_code_cannot_kill_or_stop_its_own_worker(sandbox, tmp_path, backend):
    """As its namespace's init, the worker gets no signal from inside the namespace that it has no
    handler for: the kernel drops it, and the call carries on."""
    box = sandbox if backend == "fork" else Sandbox(backend="spawn")
    try:
        with _probe_session(box, tmp_path) as session:
            for name in ("SIGKILL", "SIGTERM", "SIGSTOP", "SIGSEGV"):
                assert session.call("kill_self", name) == "still here", name
    finally:
        if box is not sandbox:
            box.close()


@pytest.mark.skipif(not _namespaces_allowed() or not _pids_cgroup_writable(),
                    reason="needs root with pid namespaces and cgroups")
def test_a_closed_session_is_gone_cgroups_and_all_while_the_zygote_idles(sandbox, tmp_path):
    """Closing replies at once; the zygote ends the session without another request arriving:
    the child the student left is killed with the namespace, the worker reaped, its cgroups removed."""
    from grader.sandbox.worker import children_of

    token = f"closed-session-{os.getpid()}-{time.monotonic_ns()}"
    with _probe_session(sandbox, tmp_path) as session:
        session.call("leave_child", token)
        assert h.marked_processes(token), "the student's child did not start"
        pid = session.pid
    zygote = sandbox.zygote._proc.pid
    name = confine.session_cgroup_name(zygote, pid)
    deadline = time.monotonic() + 10
    while True:
        left = [ctrl for ctrl, parent in confine.own_cgroup_dirs().items()
                if os.path.isdir(os.path.join(parent, name))]
        alive = h.marked_processes(token)
        if not left and not alive and pid not in children_of(zygote):
            break
        assert time.monotonic() < deadline, f"left: cgroups {left}, processes {alive}"
        time.sleep(0.01)


@pytest.mark.skipif(not LINUX, reason="the zygote backend is Linux-only")
@pytest.mark.parametrize("backend", ["fork", "spawn"])
def test_how_a_worker_ended_is_reported_through_its_namespace(sandbox, tmp_path, backend):
    """A worker's own wait status reaches the trusted side: the zygote waits for it (fork), or the
    process outside its namespace dies the same way (spawn)."""
    from grader.sandbox.errors import WorkerCrashed

    box = sandbox if backend == "fork" else Sandbox(backend="spawn")
    try:
        for call, args, expected in (("crash", (), "killed by a segmentation fault"),
                                     ("leave", (7,), "exited with code 7 before answering")):
            with _probe_session(box, tmp_path) as session, pytest.raises(WorkerCrashed, match=expected):
                session.call(call, *args)
    finally:
        if box is not sandbox:
            box.close()


@pytest.mark.skipif(not _namespaces_allowed(), reason="needs root with mount/pid/net namespaces")
def test_the_spawn_backend_still_gets_a_pid_namespace(tmp_path):
    """Without a zygote the worker unshares the namespace itself and forks into it as its init
    (two processes: the one outside mirrors the worker's exit)."""
    with Sandbox(backend="spawn") as box:
        layers = set(box.confinement()["layers"])
        assert {"pid-ns", "private-proc", "mount-ns", "net-ns", "ipc-ns"} <= layers, layers
        with _probe_session(box, tmp_path) as session:
            assert session.call("who") == [1, 0]


@pytest.mark.skipif(not _namespaces_allowed() or not os.path.isdir("/dev/shm"),
                    reason="needs root with mount/pid/net namespaces, and /dev/shm")
def test_a_temporary_folder_under_dev_still_reaches_the_worker(tmp_path, monkeypatch):
    """TMPDIR=/dev/shm: a confined session gets a fresh /dev over the real one, so session folders
    made there vanished from its view and every import failed as the student's FileNotFoundError."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", "/dev/shm")
    with Sandbox() as box:
        assert not str(box.base_dir).startswith("/dev/"), box.base_dir
        with _probe_session(box, tmp_path) as session:
            assert session.call("who") == [1, 0]


def test_the_scratch_folder_moves_only_from_where_sessions_cannot_see_it(monkeypatch, tmp_path):
    import tempfile

    from grader.sandbox import client

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert client.scratch_parent() is None  # tempfile's own choice
    monkeypatch.setattr(tempfile, "tempdir", "/dev/shm")
    assert client.scratch_parent() in client.SCRATCH_FALLBACKS
    monkeypatch.setattr(client, "SCRATCH_FALLBACKS", (str(tmp_path / "missing"),))
    with pytest.raises(SandboxSetupError, match="set TMPDIR to a folder elsewhere"):
        client.scratch_parent()


def _with_sandbox(box: Sandbox, case_name: str, tmp_path: Path, outer) -> h.Outcome:
    case = next(c for c in h.load_cases() if c.name == case_name)
    return h.run_case(case, tmp_path / case_name, box)


@pytest.mark.skipif(not LINUX, reason="the zygote backend is Linux-only")
def test_without_confinement_the_zygote_still_kills_every_process(sandbox, tmp_path, monkeypatch):
    """The fallback where cgroups and namespaces are unavailable: the subreaper zygote's sweep."""
    monkeypatch.setenv("GRADER_SANDBOX_CONFINE", "off")
    with Sandbox() as bare:
        assert bare.confinement()["layers"] == []
        for name in ("fork_bomb", "leave_children", "memory_bomb_processes"):
            out = _with_sandbox(bare, name, tmp_path, sandbox)
            assert out.exit_code == 1 and not out.passed and not out.hung, out.stderr[-2000:]
            assert out.leftovers == [], f"{name}: {out.leftovers}"
            assert out.integrity == "ok" and out.rows_added == 1


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="dropping to another user needs root")
def test_a_root_grader_can_run_student_code_as_nobody(sandbox, tmp_path, monkeypatch):
    if not confine.readable_by(confine.NOBODY, confine.NOBODY, [torch_dir()]):
        pytest.skip("torch's folder is not readable by nobody (under a private folder); "
                    "test_a_user_who_cannot_read_python_is_refused_up_front covers that case")
    monkeypatch.setenv("GRADER_SANDBOX_USER", "nobody")
    with Sandbox() as box:
        report = box.confinement()
        assert report["uid"] == confine.NOBODY and "unprivileged-user" in report["layers"], report
        good = _with_sandbox(box, "slow_correct", tmp_path, sandbox)
        assert good.passed and good.stored_passed, good.stdout[:2000]
        bomb = _with_sandbox(box, "fork_bomb", tmp_path, sandbox)
        assert not bomb.passed and bomb.leftovers == []


@pytest.mark.skipif(not LINUX or os.geteuid() != 0, reason="dropping to another user needs root")
def test_a_user_who_cannot_read_python_is_refused_up_front(monkeypatch):
    # A private parent folder (mktemp -d) used to show up only as every worker dying at once.
    monkeypatch.setenv("GRADER_SANDBOX_USER", "nobody")
    monkeypatch.setattr(confine, "readable_by", lambda uid, gid, paths: False)
    with pytest.raises(SandboxSetupError, match=r"GRADER_SANDBOX_USER=nobody: that user cannot read .*torch.*chmod o\+rx"):
        Sandbox()
    monkeypatch.setenv("GRADER_SANDBOX_USER", "no-such-user-here")
    with pytest.raises(SandboxSetupError, match="no such user"):
        Sandbox()


def test_readable_by_follows_the_permission_bits():
    import shutil
    import tempfile

    top = Path(tempfile.mkdtemp())  # not under pytest's tmp_path, whose parent is private
    try:
        inner = top / "a" / "b"
        inner.mkdir(parents=True)
        (inner / "m.py").write_text("x = 1")
        for folder in (top, top / "a", inner):
            folder.chmod(0o755)
        other = 65534 if os.geteuid() != 65534 else 65533
        assert confine.readable_by(other, other, [str(inner)])
        (top / "a").chmod(0o700)  # like /root holding a pyenv install
        assert not confine.readable_by(other, other, [str(inner)])
        assert confine.readable_by(os.geteuid(), os.getegid(), [str(inner)])
    finally:
        (top / "a").chmod(0o755)
        shutil.rmtree(top)


def test_resolve_user():
    assert confine.resolve_user("off") is None
    assert confine.resolve_user("auto")[0] == confine.NOBODY
    assert confine.resolve_user("12345")[0] == 12345


KILL_TREE_PROBE = r"""
import os, sys, time
from grader.sandbox import worker

worker._CHILDREN_FILES = sys.argv[1] == "children-files"
pid = os.fork()
if pid == 0:  # a session that forks grandchildren, one of them its own session leader
    for _ in range(3):
        if os.fork() == 0:
            os.setsid()
            os.fork()
            time.sleep(60)
            os._exit(0)
    time.sleep(60)
    os._exit(0)
time.sleep(0.5)
tree = worker._tree([pid])
worker.kill_tree([pid])
time.sleep(0.2)
alive = [p for p in tree if os.path.exists(f"/proc/{p}") and not worker._is_zombie(p)]
print(len(tree), alive)
"""


@pytest.mark.skipif(not LINUX, reason="/proc")
@pytest.mark.parametrize("walk", ["children-files", "proc-scan"])
def test_kill_tree_finds_and_kills_every_descendant(walk):
    """Both ways of walking a session's processes: /proc/PID/task/TID/children where the kernel
    has it, and the scan of every process's stat file where it does not."""
    proc = subprocess.run([sys.executable, "-c", KILL_TREE_PROBE, walk], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert proc.stdout.split(" ", 1) == ["7", "[]\n"], proc.stdout + proc.stderr[-2000:]
