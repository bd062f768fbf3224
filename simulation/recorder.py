"""Where a running week writes its records: flat lists of numbers, moved into arrays as they fill.

The engine writes each record as a run of numbers onto its kind's list (`visitors`,
`visits`, `busy`; columns as in `records.py`). A flat list of numbers, not a list of
tuples, holds no object per record for the garbage collector to track and free, and copies
into an array faster. Once a list holds `CHUNK` numbers the week moves them into an array
(`flush`), so the lists, and the number objects in them, stay small however many visitors
come: at 200,000 visitors a week they no longer grow to hundreds of MiB. Small enough to
stay in the CPU's cache, too: the number objects freed are reused at once for the next records.
"""

from __future__ import annotations

import struct

import numpy as np

from .records import BUSY_COLUMNS, VISIT_COLUMNS, VISITOR_COLUMNS

__all__ = ["CHUNK", "Recorder"]

#: Numbers a record list holds before they move into an array: about 16 KiB with their number
#: objects, about one arrival batch's records. The lists share a core's L2 cache (1 MiB on the
#: bench machine) with the visitors in the office, thousands at city scale: at 1 << 12 their
#: numbers had left the cache again by the time they moved (about a quarter more cache misses
#: per visitor at 200,000 a week, measured with cachegrind); at 1 << 15 every record went to memory.
CHUNK = 1 << 9


class Recorder:
    """The records of one week: a flat list per kind, and the numbers already flushed from it."""

    def __init__(self):
        self.visitors: list = []
        self.visits: list = []
        self.busy: list = []
        self._lists = {"visitors": self.visitors, "visits": self.visits, "busy": self.busy}
        self._chunks: dict[str, list[bytes]] = {kind: [] for kind in self._lists}  # flushed numbers, packed

    def flush(self) -> None:
        """Move the numbers of each list that has reached `CHUNK` into packed doubles (the lists stay the same objects)."""
        for kind, flat in self._lists.items():
            if len(flat) >= CHUNK:
                self._chunks[kind].append(_packed(flat))
                flat.clear()

    def arrays(self, week: int | None = None) -> dict[str, np.ndarray]:
        """Each kind's records as rows (visitors in visitor order), with a trailing `week` column if given."""
        widths = {"visitors": len(VISITOR_COLUMNS), "visits": len(VISIT_COLUMNS), "busy": len(BUSY_COLUMNS)}
        return {kind: self._rows(kind, widths[kind], week) for kind in self._lists}

    def _rows(self, kind: str, width: int, week: int | None) -> np.ndarray:
        numbers = np.frombuffer(b"".join(self._chunks[kind] + [_packed(self._lists[kind])]))
        rows = len(numbers) // width
        out = np.empty((rows, width + (week is not None)))
        out[:, :width] = numbers.reshape(rows, width)
        if week is not None:
            out[:, width] = week
        if kind == "visitors":  # written as visitors leave
            out = out[np.argsort(out[:, 0], kind="stable")]
        return out


def _packed(flat: list) -> bytes:
    """The numbers of a list as native doubles: `struct` packs about 10 ns a number, `np.fromiter`
    took about 24 (it converts each Python number on its own); the same doubles either way."""
    return struct.pack(f"{len(flat)}d", *flat)
