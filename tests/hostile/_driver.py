"""`grade` as a separate process, with the corpus's short limits (tests/hostile/_harness.py).

    python tests/hostile/_driver.py --db DB exercise1 --file FILE --json

Everything else is the real command line: its stdout, exit code and database writes. The
exercise's total limit stays long here: starting a fresh worker may take a while on a busy machine.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import short_limits  # noqa: E402

from grader.cli import cli  # noqa: E402

if __name__ == "__main__":
    with short_limits(timeout_s=60.0):
        cli.main(sys.argv[1:], prog_name="grade")
