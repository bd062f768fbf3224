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

import numpy as np

from .records import BUSY_COLUMNS, VISIT_COLUMNS, VISITOR_COLUMNS

__all__ = ["CHUNK", "Recorder"]

#: Numbers a record list holds before they move into an array: about 130 KiB with their
#: number objects, which stays in a core's L2 cache (512 KiB on the bench machine); at 1 << 15 the
#: lists outgrew it and every record was written to, and later read from, memory further away.
CHUNK = 1 << 12


class Recorder:
    """The records of one week: a flat list per kind, and the arrays already flushed from it."""

    def __init__(self):
        self.visitors: list = []
        self.visits: list = []
        self.busy: list = []
        self._lists = {"visitors": self.visitors, "visits": self.visits, "busy": self.busy}
        self._chunks: dict[str, list[np.ndarray]] = {kind: [] for kind in self._lists}

    def flush(self) -> None:
        """Move the numbers of each list that has reached `CHUNK` into an array (the lists stay the same objects)."""
        for kind, flat in self._lists.items():
            if len(flat) >= CHUNK:
                self._chunks[kind].append(np.fromiter(flat, float, count=len(flat)))
                flat.clear()

    def arrays(self, week: int | None = None) -> dict[str, np.ndarray]:
        """Each kind's records as rows (visitors in visitor order), with a trailing `week` column if given."""
        widths = {"visitors": len(VISITOR_COLUMNS), "visits": len(VISIT_COLUMNS), "busy": len(BUSY_COLUMNS)}
        return {kind: self._rows(kind, widths[kind], week) for kind in self._lists}

    def _rows(self, kind: str, width: int, week: int | None) -> np.ndarray:
        flat = self._lists[kind]
        parts = self._chunks[kind] + [np.fromiter(flat, float, count=len(flat))]
        rows = sum(len(part) for part in parts) // width
        out = np.empty((rows, width + (week is not None)))
        at = 0
        for part in parts:  # each chunk copied once, straight into its rows
            n = len(part) // width
            out[at:at + n, :width] = part.reshape(n, width)
            at += n
        if week is not None:
            out[:, width] = week
        if kind == "visitors":  # written as visitors leave
            out = out[np.argsort(out[:, 0], kind="stable")]
        return out
