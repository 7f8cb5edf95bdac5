# attack: reads the hidden tests and reference solutions (via `import grader`, the worker's own
#         path, ancestors' working directories and well-known install locations) and prints them
# expect: fail
# Where the machine allows mounts, the grader's package is hidden (an empty tmpfs) inside the
# worker and `grader` is not importable; the corpus test then asserts no hidden line leaks.
import glob
import os
import sys

import torch

found = {}


def _grab(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            found[path] = fh.read(20000)
    except OSError:
        pass


try:
    import grader  # noqa: F401
    from grader import course

    for pattern in ("hidden/*.py", "solutions/*.py"):
        for path in glob.glob(os.path.join(str(course.PACKAGE_DIR), "course", pattern)):
            _grab(path)
except Exception as exc:
    print("import grader failed:", type(exc).__name__)

main = sys.modules.get("__main__")
here = os.path.dirname(os.path.abspath(getattr(main, "__file__", "") or "."))
roots = {os.path.dirname(here), os.path.join(here, "..")}
for pid in os.listdir("/proc"):
    if pid.isdigit():
        for link in ("cwd", "root"):
            try:
                roots.add(os.readlink(f"/proc/{pid}/{link}"))
            except OSError:
                pass
for root in sorted(roots) + ["/work/*", "/work/*/grader", "/home/*/*", "/usr/lib/python3*/site-packages/grader"]:
    for pattern in ("course/hidden/*.py", "course/solutions/*.py", "grader/course/hidden/*.py",
                    "grader/course/solutions/*.py"):
        for path in glob.glob(os.path.join(root, pattern))[:20]:
            _grab(path)

print(f"found {len(found)} files")
for path, text in found.items():
    print("=====", path)
    print(text)


def make_weights(values):
    print("\n".join(found.values())[:3000])
    return torch.tensor(values)


grad_of_squares = make_weights
