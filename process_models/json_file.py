"""Read a JSON file into a pydantic model, with the errors a person can act on.

Shared by the workshop session file and the requirements master: a missing file, broken
JSON or a field that does not validate is a UserError naming the file, line or field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import UserError

__all__ = ["read_json_model"]

M = TypeVar("M", bound=BaseModel)


def read_json_model(path: str | Path, model: type[M], what: str) -> M:
    """`model` validated from the JSON file at `path`; `what` names the file in errors ("session file")."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{p}: no such {what}") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{p}:{exc.lineno}: broken JSON: {exc.msg}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(x) for x in first["loc"]) or "(top level)"
        raise UserError(f"{p}: {where}: {first['msg']}") from None
