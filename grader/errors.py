"""Library exceptions, each with the exit code the command-line contract gives it.

They never import click: the CLI (grader.cli) prints `Error: <message>` and exits with
`exit_code`. docs/CONTRACT.md lists every code.
"""

from __future__ import annotations

EXIT_OK = 0  # success (grading: every test passed and every target was met)
EXIT_NOT_YET = 1  # the work was done and the answer is "not yet" (grading only)
EXIT_USAGE = 2  # a problem the user fixes: the message names the fix
EXIT_GRADER = 3  # the grader itself could not do the work (a bug to report)
EXIT_INTERRUPTED = 130  # Ctrl-C (or end of input in an interactive quiz): what was done is kept


class GraderError(Exception):
    """A problem reported as one `Error: ...` line. The base is the grader's own failure."""

    exit_code = EXIT_GRADER


class UsageProblem(GraderError):
    """Bad arguments, malformed input files, an unusable database or setting: exit 2."""

    exit_code = EXIT_USAGE


class UnknownName(UsageProblem):
    def __init__(self, kind: str, name: str, suggestions: list[str]):
        self.kind, self.name, self.suggestions = kind, name, suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"No {kind} named '{name}'.{hint}")


class ContentError(UsageProblem):
    """A malformed manifest, quiz or rule file: names the file and the field."""

    def __init__(self, path: object, field: str, problem: str):
        self.path, self.field, self.problem = path, field, problem
        where = f"{path}: {field}: " if field else f"{path}: "
        super().__init__(f"{where}{problem}")


class WorkspaceNotFound(UsageProblem):
    pass


class SettingError(UsageProblem):
    """A GRADER_* environment variable holds a value the grader does not accept."""


def field_path(loc: tuple | list, start: str = "") -> str:
    """A validation error's location as a field path: ('exercises', 2, 'slug') -> 'exercises[2].slug'.

    `start` is a prefix already written (e.g. "question 3 (id 'x')"); later parts join it."""
    out = start
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out
