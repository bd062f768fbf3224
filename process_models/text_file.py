"""Read a file a person gave us as text: present, not too big, UTF-8.

The one reader under the YAML and JSON loaders, so a binary file, a NUL byte or a 13 MB file
gets the same message everywhere: the file, the line and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import FileError

__all__ = ["read_text", "control_character"]

# what YAML 1.1 calls printable (PyYAML's reader): tab, newlines and everything but C0/C1 controls
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def control_character(text: str) -> tuple[int, int, str] | None:
    """(line, column, 'U+0000') of the first character that is not printable text, or None."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return None
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column, f"U+{ord(found.group()):04X}"


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def read_text(path: str | Path, what: str, max_bytes: int) -> str:
    """The text of the file at `path`; `what` names it in errors ("model file", "session file").

    Raises FileError: missing, a folder, unreadable, bigger than `max_bytes` or not UTF-8.
    Control characters are the format's business: JSON escapes them, YAML refuses them
    (`control_character` finds them).
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # not stat(): a pipe or /dev/zero has no size
    except FileNotFoundError:
        raise FileError(str(p), f"no such {what}") from None
    except IsADirectoryError:
        raise FileError(str(p), f"is a folder; expected a {what}") from None
    except OSError as exc:
        raise FileError(str(p), f"cannot read the {what} ({exc.strerror or exc.__class__.__name__})") from None
    if len(raw) > max_bytes:
        raise FileError(str(p), f"the {what} is larger than {_megabytes(max_bytes)}, the most MBK Studio reads; "
                                "expected a file a person wrote")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise FileError(str(p), f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; expected a UTF-8 {what}, "
                                "not a binary file", line) from None
    return text
