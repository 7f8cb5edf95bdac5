# attack: deletes and rewrites grader files (hidden tests, solutions, the manifest) so that a
#         later grading would pass — aimed at a COPY of those files made for this run
# expect: fail
# The grade itself uses the trusted files. Where the machine allows mounts the worker sees a
# read-only filesystem, so the copy survives too (the corpus test checks both).
import glob
import os

import torch

COPY = "{{COPY_DIR}}"
done = []
for path in glob.glob(os.path.join(COPY, "course", "hidden", "*.py")):
    try:
        with open(path, "w") as fh:
            fh.write("def test_nothing():\n    pass\n")
        done.append("rewrote " + os.path.basename(path))
    except OSError as exc:
        done.append(f"could not rewrite {os.path.basename(path)}: {exc.strerror}")
for path in glob.glob(os.path.join(COPY, "course", "solutions", "*.py")):
    try:
        os.remove(path)
        done.append("deleted " + os.path.basename(path))
    except OSError as exc:
        done.append(f"could not delete {os.path.basename(path)}: {exc.strerror}")
try:
    with open(os.path.join(COPY, "manifest.toml"), "a") as fh:
        fh.write("\n# loosened by a student\n")
    done.append("edited the manifest")
except OSError as exc:
    done.append(f"could not edit the manifest: {exc.strerror}")


def make_weights(values):
    print("\n".join(done))
    return torch.tensor(values)


grad_of_squares = make_weights
