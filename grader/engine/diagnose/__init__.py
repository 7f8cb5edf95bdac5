"""Diagnosis: name the autograd mistake behind a failure. The rules are data (rules.toml)."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from grader.engine.results import Diagnosis, TestOutcome
from grader.errors import ContentError, field_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES_PATH = Path(__file__).with_name("rules.toml")


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    message: str
    errors: list[str] = Field(default_factory=list)
    signals: list[str] = Field(default_factory=list)

    @field_validator("errors")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"{p!r} is not a valid regular expression ({exc})") from None
        return patterns

    def matches(self, error_messages: list[str], signals: set[str]) -> bool:
        if signals.intersection(self.signals):
            return True
        return any(re.search(p, m) for p in self.errors for m in error_messages)


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format_version: int = Field(ge=1, le=1)
    rules: list[Rule]


def load_rules(path: Path = RULES_PATH) -> list[Rule]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return RuleSet.model_validate(data).rules
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ContentError(path, field_path(err["loc"]), err["msg"]) from None


@lru_cache(maxsize=1)
def default_rules() -> tuple[Rule, ...]:
    return tuple(load_rules())


def diagnose_messages(error_messages: list[str], signals: set[str] | None = None,
                      rules: tuple[Rule, ...] | None = None) -> list[Diagnosis]:
    rules = rules if rules is not None else default_rules()
    signals = signals or set()
    return [Diagnosis(r.code, r.message, r.title) for r in rules if r.matches(error_messages, signals)]


def diagnose(outcomes: list[TestOutcome]) -> list[Diagnosis]:
    """Diagnoses for an attempt, from its failed tests' student errors and check signals."""
    failing = [o for o in outcomes if not o.passed]
    messages = [e.get("message", "") for o in failing for e in o.errors]
    signals = {s for o in outcomes for s in o.signals}
    return diagnose_messages(messages, signals)
