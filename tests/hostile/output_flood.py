# attack: prints 100 MB (stdout and stderr), to flood the terminal, the JSON or the disk
# expect: fail
# run: both
# Output goes to a capped file (RLIMIT_FSIZE): writes past 8 MB fail (Python ignores SIGXFSZ)
# with a message naming the cap; only the first few KB are shown, and stdout of `grade --json`
# stays one small object.
import sys

LINE = "x" * 1023 + "\n"


def make_weights(values):
    for i in range(100 * 1024):
        sys.stdout.write(LINE)
        if i % 2:
            sys.stderr.write(LINE)
    return None


grad_of_squares = make_weights
