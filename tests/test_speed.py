"""The warm worker from the CLI: started first, closed fast, both backends grade the same way.

Speed itself is measured by bench/run.py, by hand (timed tests are flaky); these tests check the
behaviour the speed-ups rely on.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from grader import course
from grader.parallel import early_sandbox
from grader.sandbox.client import shared_sandbox


def grade_fresh(workspace, *args: str, backend: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_DB", "GRADER_WORKER_BACKEND")}
    env["GRADER_STUDENT"] = "tester"
    if backend:
        env["GRADER_WORKER_BACKEND"] = backend
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=workspace.root, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("backend", ["fork", "spawn"])
def test_cold_grading_gives_one_json_object_and_the_contract_exit_code(workspace, backend):
    """Cold `grade exerciseN` (exits without interpreter teardown: output must still be flushed).
    spawn is the fallback where fork is unsafe or missing (macOS, Windows), forced here."""
    solution = course.SOLUTIONS_DIR / "ex01_requires_grad.py"
    passed = grade_fresh(workspace, "exercise1", "--file", str(solution), "--json", "--seed", "4", backend=backend)
    assert passed.returncode == 0, passed.stderr[-2000:]
    payload = json.loads(passed.stdout)
    assert payload["passed"] is True and payload["seed"] == 4 and len(payload["tests"]) == 3
    stub = grade_fresh(workspace, "exercise1", "--json", backend=backend)
    assert stub.returncode == 1, stub.stderr[-2000:]
    payload = json.loads(stub.stdout)
    assert payload["passed"] is False
    assert any(d["code"] == "missing-requires-grad" for d in payload["diagnoses"])
    listed = grade_fresh(workspace, "list", "--json")
    statuses = {row["name"]: row["status"] for row in json.loads(listed.stdout)}
    assert statuses["exercise1"] == "passed"  # both attempts were stored before the fast exit


def test_a_usage_error_kills_the_worker_it_started_instead_of_waiting_for_it(monkeypatch):
    monkeypatch.delenv("GRADER_WORKER_BACKEND", raising=False)
    from grader.sandbox.client import set_shared_sandbox

    previous = shared_sandbox()
    set_shared_sandbox(None)
    try:
        with pytest.raises(ValueError):
            with early_sandbox() as box:
                assert shared_sandbox() is box  # gradings inside the block use it
                proc = box.zygote._proc
                assert proc is not None and proc.poll() is None  # started before anything else
                raise ValueError("no such exercise")
    finally:
        set_shared_sandbox(previous)
    # Killed while still importing torch (a clean exit after warm-up would be 0).
    assert proc.returncode == -signal.SIGKILL
    assert shared_sandbox() is previous


def test_early_sandbox_reuses_the_shared_one(sandbox):
    with early_sandbox() as box:
        assert box is sandbox
    assert shared_sandbox() is sandbox and sandbox.zygote._proc is not None
