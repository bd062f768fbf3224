"""Time windows of a week: open days, open clock hours, and the minutes intervals spend in them.

Shared by the KPIs, the costs and the DataFrame views; pure functions of a compiled model.
"""

from __future__ import annotations

import numpy as np

from .arrivals import DAY
from .compiled import Compiled

__all__ = ["open_windows", "hour_bins", "overlap", "capacity_minutes"]


def open_windows(c: Compiled, weeks: int = 1) -> np.ndarray:
    """(start, end) minute of every open day over `weeks` weeks (week-relative times)."""
    return np.array(
        [(d * DAY + h[0], d * DAY + h[1]) for d, h in enumerate(c.opening) if h is not None], float
    ).reshape(-1, 2)


def hour_bins(c: Compiled) -> np.ndarray:
    """(weekday, hour, start, end) of every open clock hour (partial hours clipped)."""
    rows = []
    for d, h in enumerate(c.opening):
        if h is None:
            continue
        for hour in range(h[0] // 60, (h[1] + 59) // 60):
            a, b = max(h[0], hour * 60), min(h[1], hour * 60 + 60)
            if b > a:
                rows.append((d, hour, d * DAY + a, d * DAY + b))
    return np.array(rows, float).reshape(-1, 4)


def overlap(starts: np.ndarray, ends: np.ndarray, bin_starts: np.ndarray, bin_ends: np.ndarray) -> np.ndarray:
    """Minutes of the intervals [starts, ends) that fall in each bin, summed per bin."""
    if len(starts) == 0:
        return np.zeros(len(bin_starts))
    lo = np.maximum(starts[:, None], bin_starts[None, :])
    hi = np.minimum(ends[:, None], bin_ends[None, :])
    return np.clip(hi - lo, 0, None).sum(axis=0)


def capacity_minutes(c: Compiled, pool: int, bin_starts: np.ndarray, bin_ends: np.ndarray) -> np.ndarray:
    """Unit-minutes a pool offers in each bin, following its roster."""
    changes = c.pools[pool].changes
    ts = np.array([t for t, _ in changes] + [7 * DAY])
    caps = np.array([k for _, k in changes], float)
    out = np.zeros(len(bin_starts))
    for a, b, k in zip(ts[:-1], ts[1:], caps):
        if k > 0:
            out += k * np.clip(np.minimum(b, bin_ends) - np.maximum(a, bin_starts), 0, None)
    return out
