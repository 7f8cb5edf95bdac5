"""`grade export gradescope`: an autograder zip per Gradescope's specification.

Gradescope unpacks the zip into /autograder/source, runs setup.sh once to build the image, then
for each submission runs /autograder/run_autograder with the student's files in
/autograder/submission; the autograder must write /autograder/results/results.json.
Each submission gets its own container, which is how a very large class grows past one machine.

The zip holds (at its root): setup.sh, run_autograder, the grader as a wheel, and
gradescope.json (the export's settings). run_autograder honours GRADER_AUTOGRADER_ROOT (instead
of /autograder) and GRADER_AUTOGRADER_PYTHON, so the layout can be rehearsed in a folder.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from grader import __version__
from grader.errors import UsageProblem
from grader.instructor.wheel import build_wheel

VENV = "/opt/autograd-grader"
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
CPU_INDEX = "https://download.pytorch.org/whl/cpu"

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
# It installs Python, a CPU-only PyTorch (no GPU is needed, and the CUDA build is several GB)
# and this grader, from the wheel next to this script, into its own virtual environment.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip
python3 -m venv {venv}
{venv}/bin/pip install --upgrade pip
{venv}/bin/pip install "torch=={torch}" --index-url {cpu_index}
{venv}/bin/pip install /autograder/source/{wheel}
{venv}/bin/python -c "import grader.course as c; c.course.load()"
# Student code runs as the unprivileged user `nobody` inside the sandbox (see SECURITY.md): make
# the hidden tests, reference solutions and held-out data readable by root only.
GRADER_DIR="$({venv}/bin/python -c 'import grader, os; print(os.path.dirname(grader.__file__))')"
chmod -R go-rwx "$GRADER_DIR/course" "$GRADER_DIR/_bundled/data"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it must write results/results.json.
# GRADER_AUTOGRADER_ROOT and GRADER_AUTOGRADER_PYTHON let the layout be rehearsed elsewhere.
set -uo pipefail
ROOT="${{GRADER_AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{GRADER_AUTOGRADER_PYTHON:-{venv}/bin/python}}"
cd "$ROOT"
exec "$PYTHON" -m grader.instructor.gradescope_run --root "$ROOT"
"""


def installed_torch_version() -> str:
    try:
        return metadata.version("torch").split("+")[0]  # "2.13.0+cpu" -> "2.13.0"
    except metadata.PackageNotFoundError:
        raise UsageProblem("torch is not installed here; pass --torch-version VERSION for setup.sh.") from None


def _member(name: str, data: str, mode: int = 0o644) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16  # a regular file with these permissions once unzipped
    info.compress_type = zipfile.ZIP_DEFLATED
    return info, data.encode()


def export_gradescope(out: Path, *, hidden_visibility: str = "after_due_date",
                      torch_version: str | None = None) -> Path:
    if hidden_visibility not in VISIBILITIES:
        raise UsageProblem(f"--hidden-visibility must be one of {', '.join(VISIBILITIES)}.")
    torch = torch_version or installed_torch_version()
    config = {"grader_version": __version__, "hidden_visibility": hidden_visibility, "torch": torch}
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="grade-export-") as tmp:
        wheel = build_wheel(Path(tmp))
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            part = out.with_name(out.name + ".part")
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(*_member("setup.sh", SETUP_SH.format(venv=VENV, torch=torch, cpu_index=CPU_INDEX,
                                                                  wheel=wheel.name), 0o755))
                zf.writestr(*_member("run_autograder", RUN_AUTOGRADER.format(venv=VENV), 0o755))
                zf.write(wheel, wheel.name)
                zf.writestr(*_member("gradescope.json", json.dumps(config, indent=2) + "\n"))
            part.replace(out)
        except OSError as exc:
            raise UsageProblem(f"Cannot write {out}: {exc.strerror or exc}. Choose another path.") from None
    return out
