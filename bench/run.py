"""Speed benchmark, run by hand (not a test): each figure side by side with its baseline, in one run.

    python bench/run.py            # everything, ~15 minutes on 2 cores
    python bench/run.py --quick    # fewer repeats, 20 bundles instead of 50
    python bench/run.py --only startup,cold

Figures (medians of interleaved runs, so machine noise hits both sides alike):
  all      `grade all` over the reference solutions  vs  one plain `python -m pytest` process
           running the same hidden tests against the same solutions (bench/plain_plugin.py)
  cold     `grade exercise1` from a fresh process  vs  the floor: `python -c` that imports
           torch, warms the optimizer and does exercise1's work (normal interpreter exit)
  watch    save → verdict in `grade watch` (file events), non-training exercise
  startup  `grade list`, `grade quiz --list`  vs  `python -c "import torch"`
  regrade  `grade regrade` of N collected bundles, --jobs 1 vs --jobs 2: whole bundles (every
           exercise file, as `grade submit` packs them; the target) and short ones (info);
           beside it the cores the machine kept busy on each side (the speed-up's ceiling is
           2 ÷ what one job already uses)
  sessions one worker session after another (start, load, one call, close), confined vs not (info)
Targets: all ≤ 1.0×, cold ≤ 1.1×, watch ≤ 0.3 s, startup ≤ 0.15×, regrade speed-up ≥ 1.8×.

A complete run (every figure, not --quick, whole bundles, no problem noted) writes its table into
docs/PERFORMANCE.md, between the <!-- bench-figures --> markers; any other run only prints it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURES_DOC = ROOT / "docs" / "PERFORMANCE.md"  # the table goes between these markers:
FIGURES_START, FIGURES_END = "<!-- bench-figures -->", "<!-- /bench-figures -->"
ALL_FIGURES = "startup,cold,watch,all,sessions,regrade"
sys.path.insert(0, str(ROOT))

from grader import course  # noqa: E402

PY = sys.executable
SEED = 1
FLOOR = r"""
import importlib.util, sys
import torch, torch.nn as nn, torch.optim as optim
model = nn.Linear(1, 1)
opt = optim.SGD(model.parameters(), lr=0.1)  # the lazy imports every training exercise pays
opt.zero_grad(); model(torch.zeros(2, 1)).sum().backward(); opt.step()
spec = importlib.util.spec_from_file_location("ex01", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
g = torch.Generator().manual_seed(1)
for _ in range(3):  # exercise1's three hidden tests
    values = [round(float(v), 4) for v in (torch.rand(5, generator=g) * 4 - 2)]
    w = mod.make_weights(values)
    assert w.requires_grad and w.is_leaf and torch.allclose(w, torch.tensor(values))
    assert torch.allclose(mod.grad_of_squares(values), 2 * torch.tensor(values))
"""


# Sessions one after another against a warm zygote; prints wall and CPU seconds per session (the
# CPU of this process and every process it started: the zygote and the sessions it reaped).
SESSIONS = r"""
import os, resource, shutil, sys, tempfile, time
from pathlib import Path
import torch
from grader.sandbox.client import Sandbox
from grader.engine.warm import wait_ready
n = int(sys.argv[1])
folder = tempfile.mkdtemp()
f = Path(folder) / "probe.py"
f.write_text("def f(x):\n    return x * 2\n")
box = Sandbox(); box.warm(); box.expect_many_sessions(); wait_ready(box)
def one(i):
    s = box.session(f, "probe", i); s.set_deadline(30, "30 s"); s.send_load(); s.load()
    s.call("f", torch.ones(3)); s.close()
for i in range(10): one(i)
time.sleep(3)  # the zygote's move to huge pages, done while idle
def cpu():  # this process, the zygote and the sessions it has reaped (/proc: utime stime cutime cstime)
    me = resource.getrusage(resource.RUSAGE_SELF)
    with open(f"/proc/{box.zygote._proc.pid}/stat") as fh:
        ticks = sum(int(x) for x in fh.read().rsplit(")", 1)[1].split()[11:15])
    return me.ru_utime + me.ru_stime + ticks / os.sysconf("SC_CLK_TCK")
t0, c0 = time.perf_counter(), cpu()
for i in range(n): one(i)
wall = (time.perf_counter() - t0) / n
time.sleep(1)  # the last sessions are reaped while the zygote is idle
print(wall, (cpu() - c0) / n)
box.close()
shutil.rmtree(folder)
"""


def grade_cmd() -> list[str]:
    exe = shutil.which("grade")
    return [exe] if exe else [PY, "-m", "grader"]


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="grade-bench-"))
        self.env = {k: v for k, v in os.environ.items() if k not in ("GRADER_DB", "GRADER_WORKER_BACKEND")}
        self.env.update(GRADER_STUDENT="bench", GRADER_DB=str(self.tmp / "bench.db"), PYTHONPATH=str(ROOT))
        self.rows: list[tuple[str, str, float | None, float | None, float | None, str, bool | None]] = []
        self.notes: list[str] = []
        self.ws = self.tmp / "course"
        self.run([*grade_cmd(), "init", str(self.ws)], cwd=self.tmp)
        for ex in course.load().exercises:  # every exercise solved: the same work as pytest
            shutil.copyfile(course.SOLUTIONS_DIR / ex.solution, self.ws / "exercises" / ex.file)

    def run(self, cmd: list[str], cwd: Path | None = None, env: dict | None = None, check: bool = True,
            stdin=subprocess.DEVNULL) -> tuple[float, subprocess.CompletedProcess]:
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd or self.ws, env=env or self.env, stdin=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        took = time.perf_counter() - started
        if check and proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        return took, proc

    def side_by_side(self, n: int, cmds: dict[str, list[str]], ok_codes=(0,)) -> dict[str, float]:
        """Median wall time of each command, the commands interleaved round by round."""
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(n):
            for name, cmd in cmds.items():
                took, proc = self.run(cmd, check=False)
                if proc.returncode not in ok_codes:
                    raise SystemExit(f"{name} failed ({proc.returncode}):\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
                times[name].append(took)
        return {k: statistics.median(v) for k, v in times.items()}

    def row(self, what: str, baseline: str, value: float | None, base: float | None, ratio: float | None,
            target: str, ok: bool | None) -> None:
        self.rows.append((what, baseline, value, base, ratio, target, ok))
        shown = "—" if ratio is None else (f"{ratio:.2f}×" if "×" in target else f"{ratio:.3f} s")
        print(f"  {what:<34} {'' if value is None else f'{value:7.2f} s':>9}  vs {baseline:<30} "
              f"{'' if base is None else f'{base:7.2f} s':>9}  → {shown:<8} target {target} "
              f"{'' if ok is None else ('ok' if ok else 'MISSED')}", flush=True)

    # --- the figures ------------------------------------------------------------------------------

    def bench_all(self) -> None:
        n = 2 if self.args.quick else 3
        plain = [PY, "-m", "pytest", "-q", "-p", "bench.plain_plugin", "-p", "no:cacheprovider",
                 "-c", str(course.HIDDEN_TESTS_DIR / "pytest.ini"), "--rootdir", str(course.HIDDEN_TESTS_DIR),
                 str(course.HIDDEN_TESTS_DIR)]
        env = self.env | {"BENCH_SEED": str(SEED)}
        jobs = os.cpu_count() or 1
        times: dict[str, list[float]] = {"all": [], "pytest": []}
        for _ in range(n):
            took, proc = self.run([*grade_cmd(), "all", "--seed", str(SEED), "--jobs", str(jobs)], check=False)
            if proc.returncode != 0:
                self.notes.append("`grade all` over the reference solutions did not pass everything:\n"
                                  + proc.stdout[-1500:])
            times["all"].append(took)
            took, proc = self.run(plain, cwd=ROOT, env=env, check=False)
            if proc.returncode != 0:
                self.notes.append("plain pytest over the reference solutions failed:\n" + proc.stdout[-1500:])
            times["pytest"].append(took)
            if self.args.compare_confinement:
                env_off = self.env | {"GRADER_SANDBOX_CONFINE": "off"}
                took, _ = self.run([*grade_cmd(), "all", "--seed", str(SEED), "--jobs", str(jobs)], env=env_off, check=False)
                times.setdefault("off", []).append(took)
        a, p = statistics.median(times["all"]), statistics.median(times["pytest"])
        self.row(f"grade all ({jobs} jobs)", "python -m pytest (1 process)", a, p, a / p, "≤ 1.0×", a / p <= 1.0)
        if "off" in times:
            off = statistics.median(times["off"])
            self.row("  same, sandbox confinement off", "python -m pytest (1 process)", off, p, off / p, "(info ×)", None)

    def bench_cold(self) -> None:
        n = 3 if self.args.quick else 5
        sol = str(course.SOLUTIONS_DIR / "ex01_requires_grad.py")
        t = self.side_by_side(n, {
            "grade": [*grade_cmd(), "exercise1", "--seed", str(SEED)],
            "floor": [PY, "-c", FLOOR, sol],
            "floor_exit": [PY, "-c", FLOOR + "\nimport os; os._exit(0)\n", sol],
        })
        r = t["grade"] / t["floor"]
        self.row("grade exercise1, cold", "floor: python -c (torch+optim)", t["grade"], t["floor"], r, "≤ 1.1×", r <= 1.1)
        r2 = t["grade"] / t["floor_exit"]
        self.row("grade exercise1, cold", "floor without interpreter exit", t["grade"], t["floor_exit"], r2, "(info ×)", None)
        # A training exercise: its worker warms the optimizer too. Its floor runs the same hidden
        # tests against the solution in one plain pytest process (bench/plain_plugin.py).
        ex = course.load().find("exercise9")
        t = self.side_by_side(n, {
            "grade": [*grade_cmd(), "exercise9", "--seed", str(SEED)],
            "floor": [PY, "-m", "pytest", "-q", "-p", "bench.plain_plugin", "-p", "no:cacheprovider",
                      "-c", str(course.HIDDEN_TESTS_DIR / "pytest.ini"), "--rootdir", str(course.HIDDEN_TESTS_DIR),
                      str(course.HIDDEN_TESTS_DIR / ex.tests)],
        })
        r3 = t["grade"] / t["floor"]
        self.row("grade exercise9 (trains), cold", "its hidden tests, plain pytest", t["grade"], t["floor"], r3,
                 "≤ 1.1×", r3 <= 1.1)

    def bench_watch(self) -> None:
        self._watch(self.env, "watch: save → verdict (exercise1)", target=True)
        if self.args.compare_confinement:
            self._watch(self.env | {"GRADER_SANDBOX_CONFINE": "off"}, "  same, sandbox confinement off", target=False)

    def _watch(self, env: dict, label: str, target: bool) -> None:
        n = 5 if self.args.quick else 10
        target_file = self.ws / "exercises" / course.load().find("exercise1").file
        solution = (course.SOLUTIONS_DIR / "ex01_requires_grad.py").read_text()
        proc = subprocess.Popen([*grade_cmd(), "watch", "exercise1"], cwd=self.ws, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        verdicts: list[float] = []

        def read() -> None:
            for line in proc.stdout:
                if " · watching" in line:
                    verdicts.append(time.perf_counter())

        threading.Thread(target=read, daemon=True).start()

        def wait(count: int) -> float:
            end = time.perf_counter() + 120
            while len(verdicts) < count:
                if time.perf_counter() > end or proc.poll() is not None:
                    raise SystemExit("grade watch gave no verdict")
                time.sleep(0.002)
            return verdicts[count - 1]

        try:
            wait(1)
            lags = []
            for i in range(n):
                time.sleep(0.5)
                saved = time.perf_counter()
                target_file.write_text(f"{solution}\n# edit {i}\n")
                lags.append(wait(i + 2) - saved)
        finally:
            proc.stdin.write("q\n")
            proc.stdin.flush()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            target_file.write_text(solution)
        m = statistics.median(lags)
        self.row(label, f"(median of {n}; max {max(lags):.2f} s)", m, None, m,
                 "≤ 0.3 s" if target else "(info s)", m <= 0.3 if target else None)

    def bench_startup(self) -> None:
        n = 5 if self.args.quick else 9
        cmds = {"torch": [PY, "-c", "import torch"], "list": [*grade_cmd(), "list"],
                "help": [*grade_cmd(), "--help"]}
        quiz = self.run([*grade_cmd(), "quiz", "--list"], check=False)[1]
        if quiz.returncode == 0:
            cmds["quiz"] = [*grade_cmd(), "quiz", "--list"]
        else:
            self.notes.append("`grade quiz --list` is not available yet: not measured")
        self.run([*grade_cmd(), "list"])  # the manifest cache is warm, as after the first run
        t = self.side_by_side(n, cmds)
        for name, label in (("list", "grade list"), ("quiz", "grade quiz --list"), ("help", "grade --help")):
            if name in t:
                r = t[name] / t["torch"]
                self.row(label, 'python -c "import torch"', t[name], t["torch"], r, "≤ 0.15×", r <= 0.15)

    def bench_regrade(self) -> None:
        """Whole bundles (what `grade submit` packs: every exercise file) carry the target; bundles
        of a few quick exercises are shown too, where the fixed start-up weighs more."""
        help_ = self.run([*grade_cmd(), "regrade", "--help"], check=False)[1]
        if help_.returncode != 0:
            self.notes.append("regrade/submit/collect do not exist yet: regrade not measured")
            return
        n_bundles = 20 if self.args.quick else 50
        sets = [(self.args.bundle_exercises, True)]
        if self.args.bundle_exercises == "all" and self.args.short_bundles:
            sets.append((self.args.short_bundles, False))
        for which, target in sets:
            self._regrade(n_bundles, which, target)

    def _regrade(self, n_bundles: int, which: str, target: bool) -> None:
        manifest = course.load()
        keep = {ex.name for ex in manifest.exercises} if which == "all" else set(which.split(","))
        work = self.tmp / f"regrade-{len(keep)}"
        student_ws = work / "student"
        self.run([*grade_cmd(), "init", str(student_ws)], cwd=self.tmp)
        for ex in manifest.exercises:
            if ex.name not in keep:
                (student_ws / "exercises" / ex.file).unlink()
        bundles = work / "bundles"
        bundles.mkdir()
        for i in range(n_bundles):
            env = self.env | {"GRADER_STUDENT": f"s{i:03d}", "GRADER_DB": str(work / "students.db")}
            for ex in manifest.exercises:
                path = student_ws / "exercises" / ex.file
                if path.exists():  # half solved, half stubs; unique bytes per student
                    src = course.SOLUTIONS_DIR / ex.solution if i % 2 == 0 else course.exercises_dir() / ex.file
                    path.write_text(src.read_text() + f"\n# student {i}\n")
            self.run([*grade_cmd(), "submit", "--out", str(bundles / f"s{i:03d}.zip")], cwd=student_ws, env=env)
        dbs = {j: work / f"class-{j}.db" for j in (1, 2)}
        for db in dbs.values():
            self.run([*grade_cmd(), "--db", str(db), "collect", *map(str, sorted(bundles.glob("*.zip")))])
        # Interleaved, the order flipped each round, the median of 3: this machine's speed drifts
        # by ±20% over minutes, and one run after the other would charge the drift to one side.
        times: dict[int, list[float]] = {1: [], 2: []}
        cores: dict[int, list[float]] = {1: [], 2: []}
        stolen: dict[int, list[float]] = {1: [], 2: []}
        for round_ in range(1 if self.args.quick else 3):
            for j in ((1, 2) if round_ % 2 == 0 else (2, 1)):
                again = ["--force"] if times[j] else []
                before = cpu_seconds()
                took, _ = self.run([*grade_cmd(), "--db", str(dbs[j]), "regrade", "--jobs", str(j), *again])
                times[j].append(took)
                if before is not None:
                    after = cpu_seconds()
                    cores[j].append((after[0] - before[0]) / took)
                    stolen[j].append(after[1] - before[1])
            print(f"    round {round_ + 1}: --jobs 1 {times[1][-1]:.1f} s, --jobs 2 {times[2][-1]:.1f} s"
                  + (f" (host stole {stolen[1][-1]:.1f} s and {stolen[2][-1]:.1f} s of CPU)" if stolen[1] else ""),
                  flush=True)
        took = {j: statistics.median(v) for j, v in times.items()}
        speedup = took[1] / took[2]
        rounds = sorted(one / two for one, two in zip(times[1], times[2]))  # how far the drift swings it
        label = "whole bundles" if len(keep) == len(manifest.exercises) else "bundles"
        self.row(f"regrade {n_bundles} {label} × {len(keep)} files, 2 jobs", "regrade --jobs 1",
                 took[2], took[1], speedup, "≥ 1.8× (speed-up)" if target else "(info ×)",
                 speedup >= 1.8 if target else None)
        if cores[1] and cores[2]:
            # The speed-up's ceiling: 2 jobs can at most fill the cores, 1 job already keeps
            # this many busy (its sessions start and end beside the grading).
            used = {j: statistics.median(v) for j, v in cores.items()}
            spread = f"; rounds {rounds[0]:.2f}-{rounds[-1]:.2f}×" if len(rounds) > 1 else ""
            self.row(f"… cores busy with 2 jobs: {used[2]:.2f}{spread}", f"with 1 job: {used[1]:.2f}", None, None,
                     used[2] / used[1], "(info ×)", None)

    def bench_sessions(self) -> None:
        """One worker session after another (start, load a file, one call, close) against a warm
        zygote, confined as this machine allows vs with confinement off: what a grading's session
        costs, in wall and CPU time (info)."""
        n = 30 if self.args.quick else 100
        times: dict[str, list[tuple[float, float]]] = {"on": [], "off": []}
        for _ in range(3):
            for mode in ("on", "off"):
                env = self.env | ({"GRADER_SANDBOX_CONFINE": "off"} if mode == "off" else {})
                _, proc = self.run([PY, "-c", SESSIONS, str(n)], cwd=ROOT, env=env)
                wall, cpu = (float(x) for x in proc.stdout.split())
                times[mode].append((wall, cpu))
        (on_wall, on_cpu), (off_wall, off_cpu) = (
            tuple(statistics.median(v[i] for v in times[m]) for i in (0, 1)) for m in ("on", "off"))
        self.row(f"a worker session, confined: {on_wall * 1000:.1f} ms ({on_cpu * 1000:.1f} ms CPU)",
                 f"confinement off: {off_wall * 1000:.1f} ms ({off_cpu * 1000:.1f} ms CPU)", None, None,
                 on_wall / off_wall, "(info ×)", None)

    def table(self) -> list[str]:
        lines = ["| measurement | time | baseline | time | ratio | target |", "|---|---:|---|---:|---:|---|"]
        for what, baseline, value, base, ratio, target, ok in self.rows:
            shown = "" if ratio is None else (f"{ratio:.2f}×" if "×" in target else f"{ratio:.2f} s")
            mark = "" if ok is None else (" ✓" if ok else " ✗")
            lines.append(f"| {what} | {'' if value is None else f'{value:.2f} s'} | {baseline} | "
                         f"{'' if base is None else f'{base:.2f} s'} | {shown} | {target}{mark} |")
        return lines

    def report(self) -> None:
        print("\n" + "\n".join(self.table()))
        for note in self.notes:
            print(f"\nNote: {note}")

    def complete(self) -> bool:
        """Every figure, at full size, and nothing went wrong: worth replacing the published table."""
        return (set(self.args.only.replace(" ", "").split(",")) >= set(ALL_FIGURES.split(","))
                and not self.args.quick and self.args.bundle_exercises == "all" and not self.notes)

    def write_figures(self, doc: Path = FIGURES_DOC) -> None:
        """Replace the table between the bench-figures markers in docs/PERFORMANCE.md."""
        text = doc.read_text(encoding="utf-8")
        start, end = text.find(FIGURES_START), text.find(FIGURES_END)
        if start < 0 or end < start:
            raise SystemExit(f"{doc} has no {FIGURES_START} ... {FIGURES_END} block to write the figures into")
        try:
            torch_version = metadata.version("torch")
        except metadata.PackageNotFoundError:
            torch_version = "?"
        header = (f"Run of {datetime.date.today().isoformat()}: {os.cpu_count()} cores, "
                  f"Python {platform.python_version()}, torch {torch_version}.")
        block = "\n".join([header, "", *self.table()])
        doc.write_text(text[:start + len(FIGURES_START)] + "\n" + block + "\n" + text[end:], encoding="utf-8")
        print(f"\nWrote the table into {doc.relative_to(ROOT)}.")


def cpu_seconds() -> tuple[float, float] | None:
    """(busy, stolen): CPU seconds the whole machine has spent busy (Linux /proc/stat: all but idle,
    iowait and steal), kernel threads included: what a run kept busy, on a machine otherwise idle;
    and those a virtual machine's host held its CPUs back while they had work (steal: on this kind
    of machine it comes with waking an idle CPU, and it swings from run to run)."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    steal = fields[7] if len(fields) > 7 else 0
    return (sum(fields) - fields[3] - fields[4] - steal) / tick, steal / tick


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and bundles")
    parser.add_argument("--only", default=ALL_FIGURES,
                        help="comma-separated: startup, cold, watch, all, sessions, regrade")
    parser.add_argument("--bundle-exercises", default="all",
                        help="exercise files in each regrade bundle: 'all' (what `grade submit` packs) "
                             "or a comma-separated list")
    parser.add_argument("--short-bundles", default="exercise1,exercise2,exercise3",
                        help="with whole bundles, also time bundles of just these (info; '' to skip)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--compare-confinement", action="store_true",
                        help="also time watch and grade all with GRADER_SANDBOX_CONFINE=off (what the "
                             "per-session namespaces, mounts and cgroups cost)")
    args = parser.parse_args()
    bench = Bench(args)
    print(f"{os.cpu_count()} cores, python {sys.version.split()[0]}, in {bench.tmp}", flush=True)
    finished = False
    try:
        for name in args.only.split(","):
            getattr(bench, f"bench_{name.strip()}")()
        finished = True
    finally:
        bench.report()
        if finished and bench.complete():
            bench.write_figures()
        elif finished:
            print(f"\nA partial run: {FIGURES_DOC.relative_to(ROOT)} is left as it was.")
        if not args.keep:
            shutil.rmtree(bench.tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
