"""The hostile corpus (tests/hostile/*.py), each case graded through `grade EXERCISE --file --json`.

For every case: a fail (a pass only for genuinely correct code), within its time limit; no
process outlives the grade; the database passes PRAGMA integrity_check and holds the attempt
exactly once, as the grader judged it; stdout is one small JSON object; no repository file
changed. Some cases also check what only a confined worker can promise (read-only filesystem,
hidden grader files, no network, bounded processes) when the machine provides that layer; where
it does not, that one check is skipped with the reason.
"""

from __future__ import annotations

import os
import re

import pytest

from hostile import _harness as h

CASES = h.load_cases()
IN_PROCESS = [c for c in CASES if c.run in ("in-process", "both")]
SUBPROCESS = [c for c in CASES if c.run in ("subprocess", "both")]


@pytest.fixture(scope="module")
def layers(sandbox) -> set[str]:
    report = h.confinement(sandbox)
    found = set(report.get("layers", []))
    if report.get("uid") not in (0, None):
        found.add("unprivileged-user")
    found.update(f"hidden:{p}" for p in report.get("hidden", []))
    return found


def _common(case: h.Case, out: h.Outcome) -> None:
    context = f"{case.name} ({out.mode}): stderr={out.stderr[-1500:]!r}"
    assert not out.hung, f"{context}: took {out.elapsed_s:.1f} s"
    assert out.json_problem == "", f"{context}: {out.json_problem}"
    assert out.exit_code == (0 if out.expected_pass else 1), f"{context}: exit {out.exit_code}"
    assert out.passed == out.expected_pass, f"{context}: passed={out.passed}"
    assert "Traceback" not in out.stderr, context
    if case.status:
        assert case.status in out.statuses, f"{context}: statuses {out.statuses}"
    assert out.leftovers == [], f"{context}: processes outlived the grade: {out.leftovers}"
    assert out.integrity == "ok", context
    assert out.rows_added == 1, f"{context}: {out.rows_added} rows stored for one grade"
    assert out.stored_passed == out.expected_pass, context
    assert out.extra["row_tests"] == len(out.report["tests"]), f"{context}: attempt not whole"
    assert out.repo_intact, f"{context}: a repository file changed"
    assert not out.marker_created, f"{context}: code from the worker ran in the grader"


def _confined_only(layer: str, layers: set[str]) -> None:
    if layer not in layers:
        pytest.skip(f"this machine gives the worker no {layer} (see SECURITY.md); "
                    "the checks above still passed")


def _specific(case: h.Case, out: h.Outcome, layers: set[str]) -> None:
    name = case.name
    if name == "db_attack":
        _confined_only("read-only-fs", layers)
        assert out.other_passed_rows == 0, "the worker rewrote rows in the database"
    else:
        assert out.other_passed_rows == 0, f"{name}: a row was marked passed by someone else"
    if name == "fork_bomb":
        counts = [int(n) for n in re.findall(r"forked (\d+)", out.outputs)]
        assert counts, out.outputs[:500]
        if os.geteuid() == 0 and "cgroup-pids" not in layers and "unprivileged-user" not in layers:
            pytest.skip("root without a pids cgroup or an unprivileged user: nothing bounds fork()")
        assert max(counts) < 200, f"the process bomb reached {max(counts)} processes"
    elif name == "read_hidden_tests":
        _confined_only(f"hidden:{h.REPO / 'grader'}", layers)
        for line in h.SENTINELS:
            assert line not in out.stdout, f"hidden test or solution text leaked: {line!r}"
    elif name == "edit_grader_files":
        _confined_only("read-only-fs", layers)
        assert out.copy_intact, "the worker changed grader files (the copy)"
    elif name == "network":
        _confined_only("net-ns", layers)
        assert out.listener_hits == 0, "the worker reached a server on 127.0.0.1"
    elif name == "disk_filler":
        _confined_only("workdir-tmpfs", layers)
        written = [int(n) for n in re.findall(r"wrote (\d+) MB", out.outputs)]
        assert written and max(written) <= 64, out.outputs[:500]
    elif name == "memory_bomb":
        assert "raised RLIMIT_AS" not in out.outputs, "student code lifted its memory limit"
    # Through every confinement layer, the message still names what happened.
    messages = "\n".join(t["message"] for t in out.report["tests"])
    for words in EXPLAINED.get(name, ()):
        assert words in messages, f"{name}: {words!r} not in {messages[:1500]}"


EXPLAINED = {
    "segfault": ["segmentation fault"],
    "os_exit_in_call": ["exited with code 0 before answering"],
    "exit_in_call": ["the code called sys.exit(0)"],
    "keyboard_interrupt": ["raised KeyboardInterrupt"],
    "output_flood": ["more than the 8 MB"],
    "memory_bomb": ["MemoryError"],
    "huge_return": ["the limit is 64 MB"],
    "forged_reply": ["not plain data"],
    "exec_replace": ["stopped answering without exiting"],
    "lying_objects": ["received a Liar object"],
    "loop_in_call": ["did not finish within"],
}


@pytest.mark.parametrize("case", IN_PROCESS, ids=lambda c: c.name)
def test_hostile_case(case: h.Case, sandbox, layers, tmp_path) -> None:
    out = h.run_case(case, tmp_path, sandbox)
    _common(case, out)
    _specific(case, out, layers)


@pytest.mark.parametrize("case", SUBPROCESS, ids=lambda c: c.name)
def test_hostile_case_as_a_separate_process(case: h.Case, sandbox, layers, tmp_path) -> None:
    out = h.run_case(case, tmp_path, None, mode="subprocess")
    if case.name == "kill_the_grader" and "pid-ns" not in layers:
        # Visible ancestors can be killed (same OS user): the attempt is then absent, never a pass.
        assert not out.hung and out.leftovers == [] and out.integrity == "ok"
        assert not out.forged_pass
        if out.report is None:
            assert out.rows_added == 0
            pytest.skip("without a pid namespace the grader could be killed (no row was stored)")
    _common(case, out)
    _specific(case, out, layers)


def test_every_case_says_what_it_attacks() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert case.expect in ("fail", "pass"), case.name
        assert case.run in ("in-process", "subprocess", "both"), case.name
    assert [c.name for c in CASES if c.expect == "pass"] == ["slow_correct"]
