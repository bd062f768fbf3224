"""Errors a person can act on: the file, the line, the field path and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

__all__ = ["UserError", "Problem", "ModelError", "format_path"]


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
        super().__init__("\n".join(str(p) for p in self.problems))

    def checks(self) -> set[str]:
        return {p.check for p in self.problems}
