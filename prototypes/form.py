"""A posted form, read on purpose: known fields, each once, short UTF-8 text without control characters.

Tornado's `get_body_argument` replaces control characters with spaces and strips the ends,
so `reset\\x00` would become `reset` by accident. Here the raw bytes are checked against an
explicit rule per field, and anything else is refused (HTTP 400) before it reaches a handler.
"""

from __future__ import annotations

import unicodedata
from typing import Mapping

from .office import RequestError

__all__ = ["KIOSK_FIELDS", "LOGIN_FIELDS", "FORMAT_JSON", "read_form", "check_text"]

# the longest value each field of the kiosk's own forms can have; more is never a real visitor
KIOSK_FIELDS = {"action": 16, "value": 32, "code": 32, "phone": 32, "learned": 3, "can_alone": 3, "gender": 16,
                "format": 4}
LOGIN_FIELDS = {"username": 64, "password": 256}
FORMAT_JSON = "json"  # `format=json`: answer with JSON instead of a page
_CONTROL = "Cc"  # Unicode's control characters: NUL, the C0 and C1 ranges, DEL
_UTF8_MAX_BYTES = 4  # bytes per character at most
_NAME_SHOWN = 40  # characters of an unknown field's name repeated in the error


def check_text(name: str, raw: bytes, limit: int) -> str:
    """The field's text, or RequestError when it is too long, not UTF-8 or has a control character."""
    if len(raw) > limit * _UTF8_MAX_BYTES:  # refuse a huge value before decoding it
        raise RequestError(f"{name}: longer than {limit} characters")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestError(f"{name}: not UTF-8 text") from None
    if len(text) > limit:
        raise RequestError(f"{name}: longer than {limit} characters")
    bad = next((ch for ch in text if unicodedata.category(ch) == _CONTROL), None)
    if bad is not None:
        raise RequestError(f"{name}: control character U+{ord(bad):04X} is not allowed")
    return text


def read_form(arguments: Mapping[str, list[bytes]], fields: Mapping[str, int], files: Mapping | None = None) -> dict[str, str]:
    """The posted fields as text, each checked by `check_text`; unknown or repeated fields and files are refused.

    Args:
        arguments: the raw body arguments (Tornado's `request.body_arguments`).
        fields: the allowed field names and the longest value of each.
        files: uploaded files (`request.files`); a kiosk form has none.
    """
    if files:
        raise RequestError(f"{sorted(files)[0]}: files are not accepted")
    form = {}
    for name, values in arguments.items():
        if name not in fields:
            raise RequestError(f"{name[:_NAME_SHOWN]!r}: unknown field; expected some of {sorted(fields)}")
        if len(values) != 1:
            raise RequestError(f"{name}: sent {len(values)} times; expected once")
        form[name] = check_text(name, values[0], fields[name])
    return form
