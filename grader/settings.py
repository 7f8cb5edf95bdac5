"""Every GRADER_* environment variable: read, validated and documented here, nowhere else.

A value the grader does not accept is an `Error:` naming the variable and what it takes
(exit 2), never a silent fallback. `grade --help` and docs/INSTRUCTORS.md list them.
Order of precedence where an option exists too: the option, then the variable, then the default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from grader.errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str
    help: str
    choices: tuple[str, ...] = ()  # empty: free text
    default: str = ""


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("GRADER_DB", "the SQLite database (what --db sets; default: .grade/grader.db in the workspace)"),
    Setting("GRADER_STUDENT", "the student attempts are stored under (default: grade whoami's name, "
                              "else the OS user name)"),
    Setting("GRADER_CACHE_DIR", "where the validated course manifest is cached for fast start-up "
                                "(default: the user cache folder; empty: no cache)"),
    Setting("GRADER_WORKER_BACKEND", "how worker processes start: fork (a warm parent, Linux) or spawn "
                                     "(a fresh interpreter each); auto picks fork where it is safe",
            ("auto", "fork", "spawn"), "auto"),
    Setting("GRADER_SANDBOX_CONFINE", "off turns the namespace, cgroup and privilege layers off "
                                      "(debugging only)", ("auto", "on", "off"), "auto"),
    Setting("GRADER_AUTOGRADER_ROOT", "the Gradescope layout's root, to rehearse an export in a folder",
            (), "/autograder"),
    Setting("GRADER_AUTOGRADER_PYTHON", "the Python the exported run_autograder uses (read by its shell "
                                        "script; default: the one setup.sh installed)"),
    Setting("GRADER_SANDBOX_USER", "the user a root grader runs student code as: auto (nobody where it can "
                                   "read Python), off (root, behind the other layers), or a user name", (), "auto"),
)}


def get(name: str) -> str:
    """The variable's value (stripped), its default when unset; a bad choice raises SettingError."""
    setting = SETTINGS[name]
    raw = os.environ.get(name)
    value = setting.default if raw is None else raw.strip()
    if setting.choices and value.lower() not in setting.choices:
        if raw is not None and not value:
            return setting.default
        raise SettingError(f"{name}={raw!r} is not one of: {', '.join(setting.choices)}. "
                           f"Unset it or choose one ({setting.help}).")
    return value.lower() if setting.choices else value


def lookup(name: str) -> str | None:
    """The variable's raw value, None when unset (for settings where empty means "off")."""
    assert name in SETTINGS, name
    return os.environ.get(name)


def help_text() -> str:
    """The variables and what they do, for `grade --help`."""
    lines = []
    for s in SETTINGS.values():
        values = f" ({'|'.join(s.choices)})" if s.choices else ""
        lines.append(f"{s.name}{values}: {s.help}")
    return "\n".join(lines)
