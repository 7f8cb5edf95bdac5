"""Text that reaches people: closest-name suggestions, and untrusted text made safe for each output.

Student names, file names, diagnosis codes, quiz answers and anything a worker or a bundle sent
are untrusted. Before they reach an output they pass through the function for that output:

- `plain`: a terminal line (control characters, including ESC and the C1 range, removed);
- `safe_markup`: the same, for text printed through rich (its markup escaped);
- `csv_cell`: a spreadsheet cell (a leading =, +, -, @, tab or CR neutralised);
- `clip`: any text of bounded size.

HTML is escaped by the HTML report itself (html.escape on every value).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

# C0 controls except tab and newline, DEL, and C1 controls (U+0080-U+009F: some terminals read
# U+009B as CSI). Bidirectional overrides can disguise what a line says: removed as well.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    pool = list(dict.fromkeys(candidates))
    found = difflib.get_close_matches(name.lower(), pool, n=n, cutoff=0.5)
    if not found:
        found = [c for c in pool if name.lower() in c.lower()][:n]
    return found


def plain(text: object, *, newlines: bool = True) -> str:
    """`text` without control characters (tab and, unless newlines=False, newline kept)."""
    out = _CONTROLS.sub("", str(text))
    return out if newlines else out.replace("\n", " ")


def safe_markup(text: object) -> str:
    """`text` for a rich console: control characters removed, markup shown literally."""
    from rich.markup import escape

    return escape(plain(text))


def csv_cell(value: object) -> object:
    """A value for a CSV cell that a spreadsheet shows as text, never runs as a formula.
    Numbers pass through; text starting with a formula character gets a leading apostrophe."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = plain(value, newlines=False)
    return "'" + text if text.startswith(_FORMULA_START) else text


def clip(text: object, limit: int) -> str:
    """At most `limit` characters, marked when cut."""
    text = str(text)
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"
