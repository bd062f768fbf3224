"""Read a JSON file into a pydantic model, with the errors a person can act on.

Shared by the workshop session file and the requirements master: a missing file, a binary
or oversized one, broken JSON or a field that does not validate is a UserError naming the
file, line or field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import UserError
from .limits import MAX_JSON_BYTES
from .text_file import read_text

__all__ = ["read_json_model"]

M = TypeVar("M", bound=BaseModel)


def read_json_model(path: str | Path, model: type[M], what: str) -> M:
    """`model` validated from the JSON file at `path`; `what` names the file in errors ("session file")."""
    p = Path(path)
    text = read_text(p, what, MAX_JSON_BYTES)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(f"{p}:{exc.lineno}: broken JSON: {exc.msg}") from None
    except ValueError as exc:  # a number of thousands of digits (Python refuses to convert it)
        raise UserError(f"{p}: broken JSON: {exc.args[0].split(':')[0]}; expected a {what} "
                        "as MBK Studio writes it") from None
    except RecursionError:  # thousands of nested brackets: no session or requirements file nests so
        raise UserError(f"{p}: broken JSON: nested too deeply to read; expected a {what} "
                        "as MBK Studio writes it") from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:  # "\ud800" escapes half a UTF-16 pair: valid JSON, but no text
        raise UserError(f"{p}: broken JSON: a string holds a lone surrogate ({exc.object[exc.start]!r}); "
                        f"expected a {what} as MBK Studio writes it") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(x) for x in first["loc"]) or "(top level)"
        raise UserError(f"{p}: {where}: {first['msg']}") from None
