"""What can go wrong when the trusted side calls into the worker. Torch-free."""

from __future__ import annotations

from grader.errors import UsageProblem


class SandboxFailure(Exception):
    """Base: the student's code did not produce a value."""

    status = "error"


class SandboxSetupError(UsageProblem):
    """The sandbox cannot be set up as configured (a grader-side problem the operator can fix)."""


class StudentError(SandboxFailure):
    """The student's code raised. Carries only the student's own traceback frames."""

    def __init__(self, info: dict, filename: str = ""):
        self.info = info
        self.exc_type: str = str(info.get("type", "Exception"))
        self.exc_message: str = str(info.get("message", ""))
        self.frames: list = list(info.get("frames", []))
        self.where: str = str(info.get("where", ""))
        self.filename = filename
        super().__init__(self.render())

    def headline(self) -> str:
        message = self.exc_message.strip()
        if self.exc_type == "MissingName":
            return message
        doing = "importing your file" if self.where == "import" else f"{self.where}(...)"
        return f"{doing} raised {self.exc_type}: {message}" if message else f"{doing} raised {self.exc_type}"

    def render(self) -> str:
        lines = [self.headline()]
        for filename, lineno, func, text in self.frames[-5:]:
            lines.append(f'  File "{filename}", line {lineno}, in {func}')
            if text:
                lines.append(f"    {text.strip()}")
        return "\n".join(lines)


class StudentLoadError(StudentError):
    """The file could not be imported: a syntax error, or an exception at import time."""

    def render(self) -> str:
        syntax = self.info.get("syntax")
        if syntax:
            line, col = syntax.get("line"), syntax.get("column")
            where = "".join(part for part in (f", line {line}" if line else "",
                                              f", column {col}" if col else ""))
            out = [f"{self.exc_type} in {self.filename}{where}: {syntax.get('msg')}"]
            if syntax.get("text"):
                text = syntax["text"]
                out.append(f"    {text.strip()}")
                if col:
                    indent = len(text) - len(text.lstrip())
                    out.append("    " + " " * max(0, int(col) - 1 - indent) + "^")
            if syntax.get("hint"):
                out.append(f"Fix: {syntax['hint']}")
            return "\n".join(out)
        return super().render()


class WorkerCrashed(SandboxFailure):
    """The worker stopped without answering: a crash, an exit, a limit, or a malformed reply."""


class WorkerTimeout(SandboxFailure):
    status = "timeout"
