"""Where a running week writes its records: flat lists of numbers, moved into arrays as they fill.

The engine writes each record as a run of numbers onto its kind's list (`visitors`,
`visits`, `busy`; columns as in `records.py`). A flat list of numbers, not a list of
tuples, holds no object per record for the garbage collector to track and free, and copies
into an array faster. Once a list holds `CHUNK` numbers the week moves them into an array
(`flush`), so the lists, and the number objects in them, stay small however many visitors
come: at 200,000 visitors a week they no longer grow to hundreds of MiB.
"""

from __future__ import annotations

import numpy as np

from .records import BUSY_COLUMNS, VISIT_COLUMNS, VISITOR_COLUMNS

__all__ = ["CHUNK", "Recorder"]

#: Numbers a record list holds before they move into an array (a few hundred KiB).
CHUNK = 1 << 15


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
        a = (np.concatenate(parts) if len(parts) > 1 else parts[0]).reshape(-1, width)
        if kind == "visitors":  # written as visitors leave
            a = a[np.argsort(a[:, 0], kind="stable")]
        if week is None:
            return a
        out = np.empty((len(a), width + 1))
        out[:, width] = week
        np.copyto(out[:, :width], a)
        return out
