"""KPIs as pure functions over the flat records of one replication (numpy arrays).

`replication_kpis` gives one number per KPI for one replication; `estimate` turns the
values of many replications into a mean with its 95 % confidence interval. The
DataFrame-level functions (`step_waits`, `hourly_queue_length`, ...) live in `results.py`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from process_models.session import Estimate

from .arrivals import DAY
from .compiled import QUEUE, Compiled
from .records import (B_END, B_MEMBER, B_POOL, B_START, B_STEP, B_VISITOR, B_WEEK, FINISHED, OUTCOMES,
                      S_END, S_REQ, S_START, S_STATUS, S_STEP, S_VISITOR, S_WEEK, V_ARR, V_DAY, V_DEP,
                      V_ERRAND, V_OUTCOME, V_SEGMENT, V_VISITOR, V_WAITED, V_WEEK, Outcome)

__all__ = [
    "LOWER_IS_BETTER",
    "HIGHER_IS_BETTER",
    "direction",
    "SHARES",
    "NON_NEGATIVE",
    "kpi_bounds",
    "estimate",
    "open_windows",
    "hour_bins",
    "overlap",
    "capacity_minutes",
    "replication_kpis",
]

LOWER_IS_BETTER = ("mean_wait", "median_wait", "p90_wait", "time_in_office", "balked", "gave_up",
                   "sent_home", "served_after_closing", "wait.", "queue_length.", "cost.", "one_off_cost",
                   "overtime_minutes", "payback_years", "payback_years.")
HIGHER_IS_BETTER = ("within_10", "within_20", "self_served_share", "served", "guide_minutes_freed",
                    "staff_minutes_freed", "staff_minutes_freed.", "cost_saving.", "staff_value_freed.",
                    "net_benefit.")


def direction(kpi: str) -> int:
    """-1 if lower is better, +1 if higher is better, 0 if neither (volumes, utilisation)."""
    if _matches(kpi, LOWER_IS_BETTER):
        return -1
    if _matches(kpi, HIGHER_IS_BETTER):
        return 1
    return 0


#: KPIs that are shares of visitors: between 0 and 1.
SHARES = ("self_served_share", "within_10", "within_20")
#: KPIs that are counts, times, minutes, money or utilisation: never below 0. Utilisation is capped
#: at 1 only for pools without a roster: one that finishes a visitor after its shift is more than fully used.
NON_NEGATIVE = ("arrived", "served", "self_served", "balked", "gave_up", "sent_home", "served_after_closing",
                "learned", "mean_wait", "median_wait", "p90_wait", "time_in_office", "wait.", "staff_minutes.",
                "errands.", "utilisation.", "peak_utilisation.", "cost.", "one_off_cost", "overtime_minutes",
                "payback_years", "payback_years.")

_ANY = (-math.inf, math.inf)


def _matches(kpi: str, names: tuple[str, ...]) -> bool:
    return any(kpi == k or (k.endswith(".") and kpi.startswith(k)) for k in names)


def kpi_bounds(kpi: str, capped: tuple[str, ...] = ()) -> tuple[float, float]:
    """The values a KPI can take: (0, 1) for shares, (0, inf) for counts and times, else unbounded.

    `capped` names the pools without a roster: their units cannot be busy beyond their
    capacity within the opening hours, so their utilisation is a share too.
    """
    if _matches(kpi, SHARES) or (kpi.startswith(("utilisation.", "peak_utilisation.")) and kpi.split(".", 1)[1] in capped):
        return (0.0, 1.0)
    if _matches(kpi, NON_NEGATIVE):
        return (0.0, math.inf)
    return _ANY


def estimate(values, bounds: tuple[float, float] = _ANY) -> Estimate | None:
    """Mean and 95 % t-interval over replications (NaN values left out); None if none.

    The interval is cut at `bounds`: the true mean lies inside them, so cutting keeps the
    coverage and only drops values that cannot be (a negative count, a share above 1).
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = len(v)
    if n == 0:
        return None
    mean = float(v.mean())
    if n == 1:
        return Estimate(mean=mean, low=mean, high=mean, n=1)
    half = float(stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / math.sqrt(n))
    low, high = max(mean - half, bounds[0]), min(mean + half, bounds[1])
    return Estimate(mean=mean, low=min(low, mean), high=max(high, mean), n=n)


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


def replication_kpis(c: Compiled, rep: dict[str, np.ndarray], weeks: int) -> dict[str, float]:
    """Every KPI of one replication (counts and minutes per week)."""
    v, s, b = rep["visitors"], rep["visits"], rep["busy"]
    out: dict[str, float] = {}
    n = len(v)
    outcome = v[:, V_OUTCOME].astype(int) if n else np.zeros(0, int)
    counts = np.bincount(outcome, minlength=len(OUTCOMES))
    out["arrived"] = n / weeks
    finished = counts[:4].sum()
    out["served"] = finished / weeks
    for name in ("self_served", "balked", "gave_up", "sent_home"):
        out[name] = counts[OUTCOMES.index(name)] / weeks
    if n:  # at closing those inside are still served (or sent home): count the former too
        close = np.array([np.nan if h is None else h[1] for h in c.opening])
        day = v[:, V_DAY].astype(int)
        after = (outcome < 4) & (v[:, V_DEP] > day * DAY + close[day % 7])
        out["served_after_closing"] = float(after.sum()) / weeks
    else:
        out["served_after_closing"] = 0.0
    out["learned"] = float(rep.get("learned", np.zeros(1)).sum()) / weeks
    out["self_served_share"] = counts[1] / n if n else math.nan
    waited = v[:, V_WAITED] if n else np.zeros(0)
    ok = outcome < 4
    out["mean_wait"] = float(waited.mean()) if n else math.nan
    out["median_wait"] = float(np.median(waited)) if n else math.nan
    out["p90_wait"] = float(np.quantile(waited, 0.9)) if n else math.nan
    out["within_10"] = float((ok & (waited <= 10)).mean()) if n else math.nan
    out["within_20"] = float((ok & (waited <= 20)).mean()) if n else math.nan
    out["time_in_office"] = float((v[:, V_DEP] - v[:, V_ARR]).mean()) if n else math.nan
    steps = s[:, S_STEP].astype(int) if len(s) else np.zeros(0, int)
    for i, step_id in enumerate(c.step_ids):
        if c.kinds[i] == QUEUE or c.requests[i]:
            at = steps == i
            out[f"wait.{step_id}"] = float((s[at, S_START] - s[at, S_REQ]).mean()) if at.any() else math.nan
    windows = open_windows(c)
    bins = hour_bins(c)
    for p, spec in enumerate(c.pools):
        mine = b[b[:, B_POOL] == p] if len(b) else b
        minutes = mine[:, B_END] - mine[:, B_START] if len(mine) else np.zeros(0)
        if spec.kind == "staff":
            out[f"staff_minutes.{spec.id}"] = float(minutes.sum()) / weeks
            task_steps = mine[:, B_STEP].astype(int) if len(mine) else np.zeros(0, int)
            for st in np.unique(task_steps):
                out[f"staff_minutes.{spec.id}.{c.step_ids[st]}"] = float(minutes[task_steps == st].sum()) / weeks
            out[f"errands.{spec.id}"] = (
                len({(w, x) for w, x in zip(mine[:, B_WEEK].tolist(), mine[:, B_VISITOR].tolist())}) / weeks
            )
        cap_w = capacity_minutes(c, p, windows[:, 0], windows[:, 1]).sum() * weeks
        busy_w = overlap(mine[:, B_START], mine[:, B_END], windows[:, 0], windows[:, 1]).sum() if len(mine) else 0.0
        out[f"utilisation.{spec.id}"] = busy_w / cap_w if cap_w > 0 else math.nan
        cap_h = capacity_minutes(c, p, bins[:, 2], bins[:, 3]) * weeks
        busy_h = overlap(mine[:, B_START], mine[:, B_END], bins[:, 2], bins[:, 3]) if len(mine) else np.zeros(len(bins))
        hours = bins[:, 1].astype(int)
        by_hour = [busy_h[hours == h].sum() / cap_h[hours == h].sum() for h in np.unique(hours) if cap_h[hours == h].sum() > 0]
        out[f"peak_utilisation.{spec.id}"] = max(by_hour) if by_hour else math.nan
    from .costs import cost_kpis, cost_spec  # costs builds on this module's helpers

    out.update(cost_kpis(c, cost_spec(c.model), b, weeks, out))
    return out
