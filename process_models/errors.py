"""Errors a person can act on: the file, the line, the field path and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["UserError", "FileError", "Problem", "ModelError", "format_path", "MAX_PROBLEMS_SHOWN"]

#: problems listed in one error message; the rest are counted (a broken 5,000-step model has thousands)
MAX_PROBLEMS_SHOWN = 50


def format_path(path: Iterable[object]) -> str:
    """Render ('steps', 3, 'duration') as `steps[3].duration`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


class UserError(ValueError):
    """A mistake in what the user gave us; the CLI prints it and exits 2, no traceback."""


class FileError(UserError):
    """A file that cannot be read as the text or data expected: where (file, line) and why.

    `check` names the kind ("file" for missing, unreadable, too big or not text; "yaml" for
    broken or hostile YAML), so a model loader can list it as a Problem like any other.
    """

    def __init__(self, file: str, message: str, line: int | None = None, check: str = "file"):
        self.file, self.message, self.line, self.check = file, message, line, check
        super().__init__(f"{file}{f':{line}' if line is not None else ''}: {message}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model: where it is and what was expected."""

    check: str
    path: tuple
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "<model>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {format_path(self.path)}: {self.message} [{self.check}]"


class ModelError(UserError):
    """A model file or object that fails to load or to pass the checks."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            where = self.problems[0].file or "<model>"
            shown.append(f"{where}: and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        super().__init__("\n".join(shown))

    def checks(self) -> set[str]:
        return {p.check for p in self.problems}
