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
    """Minutes of the intervals [starts, ends) that fall in each bin, summed per bin.

    Bins in time order (the windows and hour bins are) only meet the intervals that reach
    them: each interval is paired with its run of bins, and the pairs' minutes are added
    per bin in interval order. That is the sum the full intervals x bins table gives (its
    other cells are exact zeros, and numpy adds a table's rows one after another), without
    the table: at 200,000 visitors a week it ran to hundreds of MiB per pool.
    """
    if len(starts) == 0:
        return np.zeros(len(bin_starts))
    if len(bin_starts) < 2 or not (_ordered(bin_starts) and _ordered(bin_ends)):
        return _overlap_table(starts, ends, bin_starts, bin_ends)  # one bin's column is summed pairwise: keep it
    first = np.searchsorted(bin_ends, starts, side="right")  # the first bin ending after the interval starts
    count = np.maximum(np.searchsorted(bin_starts, ends, side="left") - first, 0)
    rows = np.repeat(np.arange(len(starts)), count)
    bins = np.arange(len(rows)) - np.repeat(np.cumsum(count) - count - first, count)
    lo = np.maximum(starts[rows], bin_starts[bins])
    hi = np.minimum(ends[rows], bin_ends[bins])
    return np.bincount(bins, np.clip(hi - lo, 0, None), minlength=len(bin_starts))


def _ordered(a: np.ndarray) -> bool:
    return bool((a[1:] >= a[:-1]).all())


def _overlap_table(starts: np.ndarray, ends: np.ndarray, bin_starts: np.ndarray, bin_ends: np.ndarray) -> np.ndarray:
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
