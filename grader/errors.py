"""Library exceptions. They never import click; the CLI turns them into ClickExceptions."""

from __future__ import annotations


class GraderError(Exception):
    """A problem the user can fix. `exit_code` follows the command-line contract."""

    exit_code = 1


class UsageProblem(GraderError):
    """Bad arguments or malformed input files: exit 2 with a one-line message."""

    exit_code = 2


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


def field_path(loc: tuple | list, start: str = "") -> str:
    """A validation error's location as a field path: ('exercises', 2, 'slug') -> 'exercises[2].slug'.

    `start` is a prefix already written (e.g. "question 3 (id 'x')"); later parts join it."""
    out = start
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out
