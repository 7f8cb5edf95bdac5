"""The documentation stays true: a short README that links every page, links that resolve,
the set-up blocks CI runs, and every command and setting documented somewhere."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
SECURITY = ROOT / "SECURITY.md"
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^```.*?^```[^\n]*$", re.S | re.M)
SETUP_BLOCKS = ("main-command", "test-command")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where a [x](y) is not a link."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def _links(path: Path) -> list[str]:
    return LINK.findall(_prose(_text(path)))


def _relative(target: str) -> bool:
    return not re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I)  # http:, https:, mailto: ...


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, formatting and punctuation dropped, spaces to '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"[`*_~]", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in FENCE.sub("", _text(path)).splitlines():
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            slug = _slug(m.group(1))
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def _resolve(source: Path, target: str) -> tuple[Path, str]:
    path, _, anchor = target.partition("#")
    return (source if not path else (source.parent / path).resolve()), anchor


def _block(text: str, name: str) -> str:
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    assert text.count(start) == 1 and text.count(end) == 1, f"README needs exactly one {start} ... {end} block"
    assert text.index(start) < text.index(end)
    return text[text.index(start) + len(start):text.index(end)]


def _command(text: str, name: str) -> str:
    body = _block(text, name).strip().splitlines()
    assert len(body) == 3 and body[0].startswith("```") and body[2] == "```", \
        f"the {name} block holds exactly one fenced, one-line command"
    return body[1]


def _help(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def _commands(help_text: str) -> list[str]:
    section = help_text.split("\nCommands:\n", 1)[1]
    names = []
    for line in section.splitlines():
        m = re.match(r"^  (\S+)\s{2,}", line)
        if m:
            names.append(m.group(1))
        elif line.strip() and not line.startswith("  "):
            break
    return names


# -- the README --------------------------------------------------------------------------------

def test_the_readme_is_at_most_200_lines():
    lines = _text(README).splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail into docs/"


def test_the_readme_links_every_docs_page_and_security():
    linked = {_resolve(README, t)[0] for t in _links(README) if _relative(t)}
    missing = [p.relative_to(ROOT).as_posix() for p in [*DOCS, SECURITY] if p.resolve() not in linked]
    assert DOCS and not missing, f"not linked from README.md: {missing}"


def test_the_readme_keeps_exactly_the_two_setup_blocks():
    text = _text(README)
    markers = set(re.findall(r"<!-- /?([a-z-]+-command) -->", text))
    assert markers == set(SETUP_BLOCKS), f"set-up marker blocks: {sorted(markers)}"
    main, test = (_command(text, name) for name in SETUP_BLOCKS)
    for command in (main, test):
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
        # The CPU-only torch wheel (docs: --index-url) must be able to go in before the grader.
        assert "pip install torch==" in command
        assert command.index("pip install torch==") < command.index("pip install .") \
            if "pip install ." in command else command.index("pip install torch==") < command.index("pip install -e")
    assert "grade init" in main and "grade exercise1" in main
    assert "python -m pytest" in test
    # The CPU-wheel note comes before the command, so it is read before anyone runs it.
    assert "download.pytorch.org/whl/cpu" in text[:text.index("<!-- main-command -->")]


def test_ci_runs_the_readmes_test_command():
    awk = r"/<!-- test-command -->/{f=1; next} /<!-- \/test-command -->/{f=0} f && !/^```/"
    out = subprocess.run(["awk", awk, str(README)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == _command(_text(README), "test-command")
    assert awk in _text(ROOT / ".ci" / "run")


def test_the_readme_keeps_the_corpus_figures_block():
    assert _block(_text(README), "corpus-figures").strip().startswith("- ")


# -- links -------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", [README, *DOCS], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_to_an_existing_file(page):
    broken = []
    for target in _links(page):
        if not _relative(target):
            continue
        path, anchor = _resolve(page, target)
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(f"{target}: no heading with that anchor")
    assert not broken, f"{page.name}: {broken}"


def test_the_docs_pages_grade_help_points_to_exist():
    for target in re.findall(r"\bdocs/[\w./-]+\.md(?:#[\w-]+)?", _help()):
        path, anchor = _resolve(README, target)
        assert path.exists(), target
        assert not anchor or anchor in _anchors(path), target


# -- commands and settings ---------------------------------------------------------------------

def test_every_command_in_grade_help_is_documented():
    text = "\n".join(_text(p) for p in (ROOT / "docs" / "CONTRACT.md", ROOT / "docs" / "INSTRUCTORS.md", README))
    names = _commands(_help())
    assert {"exercise", "list", "quiz", "report", "export", "import"} <= set(names), names
    missing = []
    for name in names:
        words = [name]
        sub = _help(name)
        if "\nCommands:\n" in sub:
            words = [f"{name} {s}" for s in _commands(sub)]
        for w in words:
            if not re.search(rf"\bgrade(?: --db \S+)? {re.escape(w)}(?![\w-])", text):
                missing.append(w)
    assert not missing, f"commands in `grade --help` that no README/CONTRACT/INSTRUCTORS line shows: {missing}"


def test_the_settings_section_lists_every_grader_variable():
    from grader.settings import SETTINGS

    text = _text(ROOT / "docs" / "INSTRUCTORS.md")
    assert "settings" in _anchors(ROOT / "docs" / "INSTRUCTORS.md")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"^\| `(GRADER_\w+)` \|", section, re.M)}
    assert rows == set(SETTINGS), f"missing: {sorted(set(SETTINGS) - rows)}, unknown: {sorted(rows - set(SETTINGS))}"
    for setting in SETTINGS.values():
        for choice in setting.choices:
            row = next(line for line in section.splitlines() if line.startswith(f"| `{setting.name}` |"))
            assert f"`{choice}`" in row, f"{setting.name}: value {choice} not documented"
