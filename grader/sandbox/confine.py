"""Confinement of one worker session beyond rlimits (Linux; standard library only).

The worker child calls `enter()` before any student code runs. Each layer is best effort: a
step the machine does not allow is skipped, and the returned report says what took effect.

When the grader runs as root (CI, Gradescope, a lab's grading service) the session gets:

* its own pids and memory cgroup (v1), so a process bomb or a many-process memory bomb is
  bounded even for root, and every process of the session can be found and killed;
* new mount, network, IPC and pid namespaces: the filesystem is read-only except a small tmpfs
  working directory and /dev/shm; the grader's package (hidden tests, solutions), /run and the
  database files are hidden; /dev holds only null, zero, full, random and urandom; /proc shows
  only the session's processes; there is no network;
* no capabilities, no_new_privs, and the `nobody` user when the Python install is readable by
  it (then RLIMIT_NPROC binds too and nothing root-owned is writable even through a mistake
  in the layers above).

For other users these layers need privileges they do not have; rlimits and the trusted side's
wall-clock limits still apply (see SECURITY.md).

With a pid namespace the session is one process: the worker is the namespace's init (pid 1).
When it exits, the kernel kills everything the student left in the namespace; and the kernel
drops every signal sent to it from inside the namespace that it has no handler for, so student
code cannot kill, stop or abort its own worker (os.abort() ends as a segmentation fault; at the
CPU-time limit SIGXCPU is dropped and the hard limit's SIGKILL, a second later, ends it). Orphans
the student leaves are re-parented to the worker and not reaped until the session ends; the pids
cgroup bounds them. The zygote forks the worker straight into the fresh namespace
(`PidNamespaceForker`) and waits for it itself. A worker started without the zygote (the spawn
backend) unshares the namespace itself, so its session has a second process outside it that
mirrors the worker's status.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import re
import signal
import struct
import sys
import time

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWPID = 0x20000, 0x8000000, 0x40000000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
NOBODY = 65534
DEVICES = ("null", "zero", "full", "random", "urandom")
CGROUP_PREFIX = "grader-"
_CGROUP_NAME = re.compile(r"^grader-(\d+)-(\d+)-(\d+)$")  # pid namespace, zygote, session

_libc = None
_session_users: dict[tuple, tuple[int, int] | None] = {}


class ConfineError(OSError):
    pass


def _c():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise ConfineError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(_c().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def _umount(target: str) -> None:
    _c().umount2(target.encode(), MNT_DETACH)


def _prctl(option: int, arg: int = 0) -> int:
    return _c().prctl(option, ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))


def is_linux() -> bool:
    return sys.platform.startswith("linux")


def set_not_dumpable() -> None:
    """Same-user processes can then not open our /proc/PID/fd, mem or root, nor ptrace us."""
    if is_linux():
        try:
            _prctl(PR_SET_DUMPABLE, 0)
        except Exception:
            pass


def die_with_parent(expected_parent: int | None = None) -> None:
    if not is_linux():
        return
    try:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:
        return
    if expected_parent is not None and _parent_pid() != expected_parent:
        os._exit(1)  # the parent died before the request took effect


def _parent_pid() -> int:
    ppid = os.getppid()
    if ppid == 0:  # the parent is outside our pid namespace: ask /proc, still the parent's here
        try:
            with open("/proc/self/stat", "rb") as fh:
                stat = fh.read()
            return int(stat[stat.rfind(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    return ppid


def pid_outside() -> int:
    """This process's pid as the zygote numbers it, which it kills and cleans up by: a session
    forked into a fresh pid namespace is pid 1 to itself. Read through /proc, still the zygote's."""
    try:
        return int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return os.getpid()


class PidNamespaceForker:
    """Forks a session straight into a fresh pid namespace, as the namespace's init.

    unshare(CLONE_NEWPID) moves only the caller's next child, so the zygote unshares, forks, and
    re-enters its own namespace for the forks that follow. The session is then one process, the
    worker, which the zygote waits for itself: no process outside the namespace mirrors its exit
    and no init inside it forks the worker (each a fork and an exit of the ~210 MB warm
    interpreter). Root only; elsewhere `available` is False.
    """

    def __init__(self) -> None:
        self._own: int | None = None
        if not is_linux() or os.geteuid() != 0:
            return
        try:
            own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return
        if self._dry_run(own):
            self._own = own
        else:
            os.close(own)

    @staticmethod
    def _dry_run(own: int) -> bool:
        """Whether this process may leave its pid namespace and come back, tried in a child: one
        that could leave but not return would fork every later process into a session's namespace."""
        try:
            pid = os.fork()
        except OSError:
            return False
        if pid == 0:
            ok = _c().unshare(CLONE_NEWPID) == 0 and _c().setns(own, CLONE_NEWPID) == 0
            os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    @property
    def available(self) -> bool:
        return self._own is not None

    def fork(self) -> int:
        """os.fork(), the child pid 1 of a new pid namespace. OSError: nothing was forked."""
        assert self._own is not None
        _check(_c().unshare(CLONE_NEWPID), "unshare(CLONE_NEWPID)")
        try:
            pid = os.fork()
        except BaseException:
            self._return()
            raise
        if pid != 0:
            self._return()
        return pid

    def _return(self) -> None:
        if _c().setns(self._own, CLONE_NEWPID) != 0:
            # Never fork anything else into a session's namespace: the trusted side starts a new zygote.
            os.write(2, b"zygote: cannot re-enter its own pid namespace\n")
            os._exit(70)


# --- cgroups (v1) ------------------------------------------------------------------------------

def _unescape(path: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), path)


def _mountinfo() -> list[tuple[str, str, str, str, str]]:
    """(root, mount point, mount options, fstype, super options) per mount."""
    out = []
    try:
        with open("/proc/self/mountinfo") as fh:
            for line in fh:
                left, _, right = line.partition(" - ")
                f, r = left.split(), right.split()
                if len(f) >= 6 and len(r) >= 3:
                    out.append((_unescape(f[3]), _unescape(f[4]), f[5], r[0], r[2]))
    except OSError:
        pass
    return out


_own_cgroups: dict[tuple[str, ...], dict[str, str]] = {}


def own_cgroup_dirs(controllers: tuple[str, ...] = ("pids", "memory")) -> dict[str, str]:
    """{controller: this process's cgroup directory} for the v1 controllers mounted here.

    Cached: a process changes cgroups only by joining a session's (which clears this), and the
    zygote asks several times per session (~0.1 ms each)."""
    if controllers not in _own_cgroups:
        _own_cgroups[controllers] = _find_own_cgroup_dirs(controllers)
    return dict(_own_cgroups[controllers])


def _find_own_cgroup_dirs(controllers: tuple[str, ...]) -> dict[str, str]:
    mine: dict[str, str] = {}
    try:
        with open("/proc/self/cgroup") as fh:
            for line in fh:
                _, names, path = line.rstrip("\n").split(":", 2)
                for name in names.split(","):
                    mine[name] = path
    except (OSError, ValueError):
        return {}
    found = {}
    for root, point, _opts, fstype, sopts in _mountinfo():
        if fstype != "cgroup":
            continue
        for ctrl in controllers:
            path = mine.get(ctrl)
            if ctrl in sopts.split(",") and path is not None and ctrl not in found:
                if root != "/" and not path.startswith(root):
                    continue
                rel = path[len(root):] if root != "/" else path
                found[ctrl] = os.path.join(point, rel.lstrip("/"))
    return found


def _write(path: str, value: str) -> None:
    with open(path, "w") as fh:
        fh.write(value)


def proc_status_bytes(field: str) -> int:
    """A size from /proc/self/status (VmRSS, VmSize, ...) in bytes; 0 where unavailable."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def join_session_cgroups(name: str, nproc: int, memory_mb: int, base_rss: int | None = None) -> dict[str, bool]:
    """Create this session's cgroups under ours, set their limits, and move this process in.
    base_rss: this process's resident size, where the caller knows it (else read here)."""
    if os.geteuid() != 0:
        return {}
    done = {}
    for ctrl, parent in own_cgroup_dirs().items():
        path = os.path.join(parent, name)
        try:
            os.mkdir(path)
        except FileExistsError:
            pass
        except OSError:
            continue
        try:
            if ctrl == "pids" and nproc:
                _write(os.path.join(path, "pids.max"), str(int(nproc)))
            if ctrl == "memory" and memory_mb:
                # The student gets memory_mb on top of the warm interpreter it was forked from.
                base = proc_status_bytes("VmRSS") if base_rss is None else base_rss
                limit = str(base + int(memory_mb) * 1024 * 1024)
                _write(os.path.join(path, "memory.limit_in_bytes"), limit)
                try:
                    _write(os.path.join(path, "memory.memsw.limit_in_bytes"), limit)
                except OSError:
                    pass  # no swap accounting: the memory limit alone still holds
            _write(os.path.join(path, "cgroup.procs"), str(os.getpid()))
            _own_cgroups.clear()
            done[ctrl] = True
        except OSError:
            _rmdir_quiet(path)
    return done


def _rmdir_quiet(path: str) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def _procs(path: str) -> list[int]:
    try:
        with open(os.path.join(path, "cgroup.procs")) as fh:
            return [int(x) for x in fh.read().split()]
    except (OSError, ValueError):
        return []


def _kill_procs(path: str) -> bool:
    """SIGKILL every process in the cgroup at `path` now; whether there was any."""
    pids = _procs(path)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return bool(pids)


def kill_cgroup(path: str, reap=None, rounds: int = 400) -> None:
    """SIGKILL every process in the cgroup until it is empty, then remove it."""
    for _ in range(rounds):
        if not _kill_procs(path):
            break
        if reap is not None:
            reap()
        time.sleep(0.002)
    for _ in range(50):
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            if reap is not None:
                reap()
            time.sleep(0.005)


def pid_namespace() -> int:
    """Pids mean something only within one pid namespace (containers may share cgroups)."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return 0


def session_cgroup_name(zygote_pid: int, child_pid: int, namespace: int | None = None) -> str:
    """namespace: the zygote's pid namespace (default: the caller's), where both pids are numbered."""
    return f"{CGROUP_PREFIX}{pid_namespace() if namespace is None else namespace}-{zygote_pid}-{child_pid}"


def signal_session(zygote_pid: int, child_pid: int) -> None:
    """SIGKILL what is in the session's cgroups now, without waiting (cleanup_session finishes)."""
    if os.geteuid() != 0:
        return
    name = session_cgroup_name(zygote_pid, child_pid)
    for parent in own_cgroup_dirs().values():
        _kill_procs(os.path.join(parent, name))


def remove_session(zygote_pid: int, child_pid: int, kill: bool = True) -> bool:
    """Without waiting: SIGKILL what is left in the session's cgroups (kill=False: nothing can be,
    its pid namespace is empty), remove the empty ones. True once none is left (or there never
    were any)."""
    if os.geteuid() != 0:
        return True
    name = session_cgroup_name(zygote_pid, child_pid)
    gone = True
    for parent in own_cgroup_dirs().values():
        path = os.path.join(parent, name)
        if kill:
            _kill_procs(path)
        try:
            os.rmdir(path)
        except FileNotFoundError:
            pass
        except OSError:  # still busy: its last processes are dying
            gone = False
    return gone


def cleanup_session(zygote_pid: int, child_pid: int, reap=None) -> None:
    if os.geteuid() != 0:
        return
    name = session_cgroup_name(zygote_pid, child_pid)
    for parent in own_cgroup_dirs().values():
        path = os.path.join(parent, name)
        if os.path.isdir(path):
            kill_cgroup(path, reap)


def sweep_stale(reap=None) -> int:
    """Kill what is left in the cgroups of zygotes that died (e.g. killed by student code)."""
    if not is_linux() or os.geteuid() != 0:
        return 0
    swept = 0
    for parent in own_cgroup_dirs().values():
        try:
            entries = os.listdir(parent)
        except OSError:
            continue
        for entry in entries:
            m = _CGROUP_NAME.match(entry)
            if not m or int(m.group(1)) != pid_namespace() or _alive(int(m.group(2))):
                continue
            kill_cgroup(os.path.join(parent, entry), reap)
            swept += 1
    return swept


def sweep_strays(base_dir: str, rounds: int = 20) -> int:
    """Kill processes started from a sandbox folder (working directory or TMPDIR inside it).

    The fallback where no cgroup or pid namespace holds a session and student code killed the
    zygote (the subreaper that would have swept them). Call it only once that zygote is gone:
    its own working directory is inside the folder too.
    """
    if not os.path.isdir("/proc"):
        return 0
    base = os.path.realpath(base_dir) + os.sep
    needle = f"TMPDIR={base}".encode()
    killed = 0
    for _ in range(rounds):
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                hit = (os.readlink(f"/proc/{entry}/cwd") + os.sep).startswith(base)
            except OSError:
                hit = False
            if not hit:
                try:
                    with open(f"/proc/{entry}/environ", "rb") as fh:
                        hit = needle in fh.read(1 << 16)
                except OSError:
                    pass
            if hit:
                found.append(int(entry))
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)
    return killed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
        return stat[stat.rfind(b")") + 2:stat.rfind(b")") + 3] not in (b"Z", b"X")
    except OSError:
        return False


# --- who may read the Python install -------------------------------------------------------------

def _may(st: os.stat_result, uid: int, gid: int, bits: int) -> bool:
    """bits: 4 read, 1 search/execute; owner, then group, then other, like the kernel."""
    if st.st_uid == uid:
        return (st.st_mode >> 6) & bits == bits
    if st.st_gid == gid:
        return (st.st_mode >> 3) & bits == bits
    return st.st_mode & bits == bits


def readable_by(uid: int, gid: int, paths: list[str]) -> bool:
    """Can uid:gid search every ancestor of each path and read (and list) the path itself?"""
    for path in paths:
        path = os.path.realpath(path)
        parts = path.split(os.sep)
        current = os.sep
        try:
            for part in [p for p in parts if p]:
                if not _may(os.stat(current), uid, gid, 1):
                    return False
                current = os.path.join(current, part)
            st = os.stat(current)
        except OSError:
            continue  # a path that does not exist is not needed
        need = 5 if os.path.isdir(current) else 4
        if not _may(st, uid, gid, need):
            return False
    return True


def python_paths(exclude: list[str]) -> list[str]:
    """What a worker may still import after dropping privileges: the interpreter and sys.path."""
    import sysconfig

    paths = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        try:
            paths.add(sysconfig.get_paths()[key])
        except KeyError:
            pass
    paths.update(p for p in sys.path if p and os.path.isdir(p))
    torch = sys.modules.get("torch")
    if torch is not None and getattr(torch, "__file__", None):
        paths.add(os.path.dirname(torch.__file__))
    hidden = [os.path.realpath(e) for e in exclude]
    return sorted(p for p in paths if not any(os.path.realpath(p).startswith(h) for h in hidden))


def session_user(config: dict) -> tuple[int, int] | None:
    """The user a root grader runs a session's student code as; None: root's uid stays, behind
    the other layers ("auto" where that user cannot read the Python install). Cached per setting:
    the zygote asks before it forks, so sessions inherit the answer instead of walking the
    install's folders each time (~2.5 ms of every session)."""
    spec = str(config.get("user", "auto"))
    key = (spec, tuple(config.get("hide_dirs", [])))
    if key not in _session_users:
        want = resolve_user(spec)
        forced = spec not in ("auto", "")
        if want is not None and not forced and not readable_by(want[0], want[1], python_paths(list(key[1]))):
            want = None
        _session_users[key] = want
    return _session_users[key]


def resolve_user(spec: str) -> tuple[int, int] | None:
    """'auto'/'nobody' -> nobody; a name or a number -> that user; 'off' -> None."""
    spec = (spec or "auto").strip()
    if spec in ("off", "none", "root", "0", ""):
        return None
    if spec == "auto":
        spec = "nobody"
    try:
        import pwd

        entry = pwd.getpwuid(int(spec)) if spec.isdigit() else pwd.getpwnam(spec)
        return entry.pw_uid, entry.pw_gid
    except (KeyError, ImportError, ValueError):
        return (int(spec), int(spec)) if spec.isdigit() else ((NOBODY, NOBODY) if spec == "nobody" else None)


# --- the filesystem view ---------------------------------------------------------------------------

def _snapshot(folder: str, limit: int) -> list[tuple[str, bytes, int]] | None:
    """The small files the trusted side put in the working directory, to restore on the tmpfs."""
    files, total = [], 0
    for here, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(here, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
            total += len(data)
            if total > limit:
                return None
            files.append((os.path.relpath(path, folder), data, os.stat(path).st_mode & 0o777))
    return files


def _workdir_tmpfs(workdir: str, size_mb: int, owner: tuple[int, int] | None) -> None:
    files = _snapshot(workdir, size_mb * 1024 * 1024 // 2)
    if files is None:
        raise ConfineError(errno.EFBIG, "the working directory is too large for its tmpfs")
    uid, gid = owner or (os.getuid(), os.getgid())
    _mount("tmpfs", workdir, "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={int(size_mb)}m,mode=0700,uid={uid},gid={gid}")
    for rel, data, mode in files:
        path = os.path.join(workdir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        os.chmod(path, mode)
        os.chown(path, uid, gid)


def _minimal_dev(shm_mb: int) -> None:
    """A fresh /dev with the harmless devices only (bound from the real ones) and a private shm."""
    fds = {name: os.open(f"/dev/{name}", os.O_PATH) for name in DEVICES if os.path.exists(f"/dev/{name}")}
    try:
        _mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=0755")
        try:
            for name, fd in fds.items():
                target = f"/dev/{name}"
                open(target, "w").close()
                _mount(f"/proc/self/fd/{fd}", target, None, MS_BIND)
            for name, link in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                               ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
                os.symlink(link, f"/dev/{name}")
            os.mkdir("/dev/shm", 0o1777)
            _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, f"size={int(shm_mb)}m,mode=1777")
        except BaseException:
            _umount("/dev")
            raise
    finally:
        for fd in fds.values():
            os.close(fd)


def _hide(dirs: list[str], files: list[str], keep: str) -> list[str]:
    hidden = []
    keep = os.path.realpath(keep)
    for d in dirs:
        d = os.path.realpath(d)
        if not os.path.isdir(d) or keep == d or keep.startswith(d + os.sep):
            continue  # never hide the working directory itself
        try:
            _mount("tmpfs", d, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
            hidden.append(d)
        except OSError:
            pass
    for f in files:
        if os.path.isfile(f) and not os.path.islink(f):
            try:
                _mount("/dev/null", f, None, MS_BIND)
                hidden.append(f)
            except OSError:
                pass
    return hidden


def _read_only_everything(writable: set[str]) -> bool:
    ok = True
    for _root, point, opts, _fstype, _sopts in _mountinfo():
        if point in writable:
            continue
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID
        for name, bit in (("nodev", MS_NODEV), ("noexec", MS_NOEXEC)):
            if name in opts.split(","):
                flags |= bit
        try:
            _mount(None, point, None, flags)
        except OSError:
            if not point.startswith(("/dev/", "/proc/", "/sys/")):
                ok = False
    return ok


# --- privileges ---------------------------------------------------------------------------------

@functools.cache
def _cap_last() -> int:
    """The highest capability number this kernel knows (cached: the zygote asks before it forks)."""
    try:
        with open("/proc/sys/kernel/cap_last_cap") as fh:
            return int(fh.read())
    except (OSError, ValueError):
        return 40


_zygote_size: tuple[int, int] | None = None


def prepare_sessions(config: dict) -> None:
    """In the zygote, before it forks a session: look up once what every session would otherwise
    look up itself, and what its limits start from (the warm zygote's resident and virtual size,
    which the child inherits; read once, the zygote barely grows). A fresh child pays several
    times the zygote's cost for its first use of any code or file (copy-on-write faults)."""
    global _zygote_size
    if config.get("confine", True) and is_linux() and os.geteuid() == 0:
        session_user(config)
        _cap_last()
    if _zygote_size is None:
        _zygote_size = (proc_status_bytes("VmRSS"), proc_status_bytes("VmSize"))
    config["base_rss"], config["base_vm"] = _zygote_size


def privileges_report(report: dict) -> dict:
    """`report` with what this process holds now: its uid and effective capabilities (read only
    when asked: every session would otherwise read /proc/self/status for it)."""
    if "no_new_privs" not in report:  # confinement was off: no privileges were dropped
        return report
    caps = _effective_caps()
    layers = list(report.get("layers", []))
    if caps == 0 and "no-capabilities" not in layers:
        layers.append("no-capabilities")
    return report | {"uid": os.getuid(), "capabilities": caps, "layers": layers}


def _effective_caps() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("CapEff:"):
                    return int(line.split()[1], 16)
    except (OSError, ValueError):
        pass
    return -1


def _drop_privileges(user: tuple[int, int] | None) -> dict:
    report: dict = {}
    if os.geteuid() == 0:
        for cap in range(_cap_last() + 1):
            _prctl(PR_CAPBSET_DROP, cap)  # exec'd programs can never regain a capability
        _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)
        if user is not None:
            uid, gid = user
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)  # leaving uid 0 clears every capability
        else:
            header = struct.pack("Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
            data = ctypes.create_string_buffer(24)  # two zeroed {effective, permitted, inheritable}
            _check(_c().capset(header, data), "capset")
    report["no_new_privs"] = _prctl(PR_SET_NO_NEW_PRIVS, 1) == 0
    report["uid"] = os.getuid()
    return report


# --- the session ------------------------------------------------------------------------------------

def enter(config: dict, keep_fd: int, pid_ns_init: bool = False) -> dict:
    """Confine this process (a fresh worker child) as far as the machine allows.

    pid_ns_init: the zygote forked this process as the init of a fresh pid namespace. Otherwise a
    root worker unshares one itself and forks into it (the spawn backend): then only the child
    returns, and the parent stays outside to mirror its exit. `keep_fd` is the worker's socket,
    which that parent closes.
    """
    report: dict = {"layers": [], "errors": []}
    if not is_linux() or not config.get("confine", True):
        report["uid"] = os.getuid() if hasattr(os, "getuid") else None
        return report
    root = os.geteuid() == 0
    workdir = os.path.realpath(config["workdir"])
    user = session_user(config) if root else None
    if root and config.get("cgroup_name"):
        joined = join_session_cgroups(config["cgroup_name"], int(config.get("nproc") or 0),
                                      int(config.get("memory_mb") or 0), config.get("base_rss"))
        report["layers"] += [f"cgroup-{c}" for c in sorted(joined)]
    if user is not None:
        for parent in (os.path.dirname(workdir), os.path.dirname(os.path.dirname(workdir))):
            os.chmod(parent, 0o711)  # the user may pass through; only the trusted side may list
    if root:
        _enter_namespaces(config, workdir, user, keep_fd, report, pid_ns_init)
    if user is not None and "workdir-tmpfs" not in report["layers"]:
        _prepare_disk_workdir(workdir, user)
    os.chdir(workdir)  # the tmpfs now sits on top of the old directory
    try:
        report.update(_drop_privileges(user))
        if report["uid"] != 0:
            report["layers"].append("unprivileged-user")
    except OSError as exc:
        report["errors"].append(f"privileges: {exc}")
    return report


def _prepare_disk_workdir(workdir: str, user: tuple[int, int]) -> None:
    """Without a tmpfs the dropped user needs the on-disk working directory (and a way in)."""
    uid, gid = user
    for here, dirs, names in os.walk(workdir):
        for name in [*dirs, *names]:
            os.chown(os.path.join(here, name), uid, gid)
    os.chown(workdir, uid, gid)


def _enter_namespaces(config: dict, workdir: str, user, keep_fd: int, report: dict,
                      pid_ns_init: bool) -> None:
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC
    if pid_ns_init:  # the zygote forked us into a fresh pid namespace
        report["layers"].append("pid-ns")
        if _private_mounts(config, workdir, user, report, flags):
            _private_proc(report)
        return
    if _private_mounts(config, workdir, user, report, flags | CLONE_NEWPID):
        report["layers"].append("pid-ns")
        _split_pid_namespace(keep_fd, report)


def _private_mounts(config: dict, workdir: str, user, report: dict, flags: int) -> bool:
    """Unshare `flags`, then build the session's view of the filesystem: whether that took effect."""
    try:
        _check(_c().unshare(flags), "unshare")
    except OSError as exc:
        report["errors"].append(str(exc))
        return False
    report["layers"] += ["net-ns", "ipc-ns"]
    try:
        _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing below propagates to the host
    except OSError as exc:
        report["errors"].append(str(exc))
        return False  # no mounts at all, not even /proc: they could reach the host's view
    report["layers"].append("mount-ns")
    writable = set()
    try:
        _workdir_tmpfs(workdir, int(config.get("disk_mb") or 64), user)
        writable.add(workdir)
        report["layers"].append("workdir-tmpfs")
    except OSError as exc:
        report["errors"].append(f"workdir: {exc}")
        try:
            _mount(workdir, workdir, None, MS_BIND)  # at least keep it writable
            writable.add(workdir)
        except OSError:
            pass
    try:
        _minimal_dev(int(config.get("shm_mb") or 64))
        writable.add("/dev/shm")
        report["layers"].append("minimal-dev")
    except OSError as exc:
        report["errors"].append(f"dev: {exc}")
    report["hidden"] = _hide(list(config.get("hide_dirs", [])) + ["/run"], list(config.get("hide_files", [])), workdir)
    if _read_only_everything(writable):
        report["layers"].append("read-only-fs")
    return True


def _private_proc(report: dict) -> None:
    """/proc for this pid namespace (we are in it and in a private mount namespace): only the
    session's own processes show."""
    try:
        _mount("proc", "/proc", "proc", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
        report["layers"].append("private-proc")
    except OSError as exc:
        report["errors"].append(f"proc: {exc}")


def _split_pid_namespace(keep_fd: int, report: dict) -> None:
    """Where no zygote forked us into a pid namespace (the spawn backend): fork the worker into
    the one just unshared, as its init (it returns); this process stays outside, mirrors the
    worker's exit and never returns."""
    try:
        worker = os.fork()
    except OSError as exc:  # this process carries on as the worker, in the other namespaces
        report["errors"].append(f"fork: {exc}")
        report["layers"].remove("pid-ns")
        return
    if worker == 0:
        die_with_parent()  # the parent is outside this pid namespace: getppid() says 0 here
        _private_proc(report)
        return
    os.close(keep_fd)
    _outer_loop(worker)


def _outer_loop(worker: int) -> None:
    while True:
        try:
            _, status = os.waitpid(worker, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # mirroring a crash must not dump core
    except (ImportError, ValueError, OSError):
        pass
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            signal.signal(sig, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, [sig])
            os.kill(os.getpid(), sig)  # die the same way, so the trusted side reports the real cause
        except (OSError, ValueError):
            pass
        os._exit(128 + sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)
