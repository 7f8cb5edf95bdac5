"""Run the whole hostile corpus once and print the figures quoted in SECURITY.md.

    python tests/hostile/tally.py            # a table, then the figures
    python tests/hostile/tally.py --json     # the same as one JSON object

It uses the same harness as tests/test_hostile_corpus.py: each case is graded through
`grade EXERCISE --file PATH --json` (in-process, and as a separate process where the case's
header asks for it) against a fresh database, and checked for forged passes, hangs, lost rows,
processes left running, database integrity, stdout and repository files.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h  # noqa: E402


def main(as_json: bool) -> int:
    from grader.sandbox.client import Sandbox

    os.environ["GRADER_STUDENT"] = "tester"
    os.environ.pop("GRADER_DB", None)
    started = time.monotonic()
    box = Sandbox()
    layers = box.confinement()
    runs: list[h.Outcome] = []
    with tempfile.TemporaryDirectory(prefix="hostile-tally-") as tmp:
        for case in h.load_cases():
            modes = {"in-process": ["in-process"], "subprocess": ["subprocess"],
                     "both": ["in-process", "subprocess"]}[case.run]
            for mode in modes:
                out = h.run_case(case, Path(tmp) / f"{case.name}-{mode}", box if mode != "subprocess" else None, mode)
                runs.append(out)
                if not as_json:
                    got = "pass" if out.passed else ("fail" if out.report else f"no result (exit {out.exit_code})")
                    print(f"{case.name:<24} {mode:<10} expect {case.expect:<4} got {got:<4} "
                          f"{','.join(sorted(out.statuses)):<22} {out.elapsed_s:5.1f} s  "
                          f"left={len(out.leftovers)} rows+{out.rows_added} {out.integrity}", flush=True)
    box.close()
    figures = {
        "cases": len(h.load_cases()),
        "runs": len(runs),
        "forged_passes": sum(o.forged_pass for o in runs),
        "hangs": sum(o.hung for o in runs),
        "rows_lost": sum(o.row_lost for o in runs),
        "graders_killed_by_student_code": sum((o.exit_code or 0) < 0 for o in runs),
        "processes_left_running": sum(len(o.leftovers) for o in runs),
        "integrity_failures": sum(o.integrity != "ok" for o in runs),
        "stdout_not_one_small_json_object": sum(bool(o.json_problem) for o in runs),
        "repository_files_changed": sum(not o.repo_intact for o in runs),
        "grader_copy_changed": sum(not o.copy_intact for o in runs),
        "connections_reaching_127_0_0_1": sum(o.listener_hits for o in runs),
        "correct_code_failed": sum(o.expected_pass and not o.passed for o in runs),
        "slowest_grade_s": round(max(o.elapsed_s for o in runs), 1),
        "total_s": round(time.monotonic() - started, 1),
        "confinement": layers.get("layers", []),
        "worker_uid": layers.get("uid"),
        "machine": f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
                   f"{'root' if os.geteuid() == 0 else 'non-root'}",
    }
    if as_json:
        print(json.dumps(figures))
    else:
        print()
        for key, value in figures.items():
            print(f"{key}: {value}")
    bad = ("forged_passes", "hangs", "rows_lost", "processes_left_running", "integrity_failures",
           "stdout_not_one_small_json_object", "repository_files_changed", "correct_code_failed")
    return 1 if any(figures[k] for k in bad) else 0


if __name__ == "__main__":
    sys.exit(main("--json" in sys.argv[1:]))
