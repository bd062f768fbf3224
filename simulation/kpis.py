"""KPIs over the flat records of one replication (numpy arrays, schema in `records.py`).

`WeekKpis` takes a replication's records one week at a time as each week ends and keeps
only what the KPIs need (counts, sums per step, pool and time window, and each visitor's
wait for the median and 90th percentile), so a long run's memory stays flat and its time
linear; `replication_kpis` is the same over records already collected. `estimate` turns
the values of many replications into a mean with its 95 % confidence interval. The
DataFrame-level functions (`step_waits`, `hourly_queue_length`, ...) live in `results.py`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from process_models.session import Estimate

from .arrivals import DAY
from .compiled import QUEUE, Compiled
from .costs import cost_kpis_from_totals, cost_spec, paid_periods
from .gender import GenderCounts
from .records import (B_END, B_POOL, B_START, B_STEP, B_VISITOR, B_WEEK, FINISHED, OUTCOMES, S_REQ, S_START,
                      S_STEP, V_ARR, V_DAY, V_DEP, V_OUTCOME, V_WAITED, Outcome)
from .windows import capacity_minutes, hour_bins, open_windows, overlap

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
    "WeekKpis",
    "replication_kpis",
]

LOWER_IS_BETTER = ("mean_wait", "median_wait", "p90_wait", "time_in_office", "balked", "gave_up",
                   "sent_home", "served_after_closing", "wait.", "queue_length.", "cost.", "one_off_cost",
                   "overtime_minutes", "payback_years", "payback_years.")
HIGHER_IS_BETTER = ("within_10", "within_20", "self_served_share", "self_served_share.", "served", "guide_minutes_freed",
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
SHARES = ("self_served_share", "self_served_share.", "within_10", "within_20")
#: KPIs that are counts, times, minutes, money or utilisation: never below 0. Utilisation is capped
#: at 1 only for pools without a roster: one that finishes a visitor after its shift is more than fully used.
NON_NEGATIVE = ("arrived", "arrived.", "served", "self_served", "self_served.", "balked", "gave_up", "sent_home", "served_after_closing",
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


class WeekKpis:
    """What one replication's KPIs need, gathered week by week (`add` each week's records, then `result`).

    Counts and sums are added up per week; each visitor's wait is kept (8 bytes) for the
    median and 90th percentile. For a one-week replication every KPI is the same
    expression over the same arrays as over the collected records, so results do not
    change; over many weeks sums are added week by week.
    """

    def __init__(self, c: Compiled):
        self.c = c
        self.costs = cost_spec(c.model)
        self.windows = open_windows(c)
        self.bins = hour_bins(c)
        self.close = np.array([np.nan if h is None else h[1] for h in c.opening])
        self.queued = [i for i in range(len(c.step_ids)) if c.kinds[i] == QUEUE or c.requests[i]]
        self.paid = {p: paid_periods(c, p) for p, spec in enumerate(c.pools)
                     if self.costs is not None and spec.id in self.costs.per_hour}
        n_pools = len(c.pools)
        self.counts = np.zeros(len(OUTCOMES), np.int64)
        self.after_closing = 0
        self.within = {10: 0, 20: 0}
        self.stay = 0.0
        self.waits: list[np.ndarray] = []
        self.learned: list[float] = []
        self.genders = GenderCounts() if c.women_shares is not None else None
        self.step_wait = {s: [0.0, 0] for s in self.queued}
        self.minutes = [0.0] * n_pools
        self.step_minutes: list[dict[int, float]] = [{} for _ in range(n_pools)]
        self.errands = [0] * n_pools
        self.open_busy = [np.zeros(len(self.windows)) for _ in range(n_pools)]
        self.hour_busy = [np.zeros(len(self.bins)) for _ in range(n_pools)]
        self.paid_busy = {p: np.zeros(len(starts)) for p, (starts, _) in self.paid.items()}

    def add(self, rec: dict[str, np.ndarray]) -> "WeekKpis":
        """Take a block of records (a week, or whole replication) with their trailing `week` column."""
        self._visitors(rec["visitors"])
        self._visits(rec["visits"])
        self._busy(rec["busy"])
        if "learned" in rec:
            self.learned.extend(np.asarray(rec["learned"], float).tolist())
        if self.genders is not None and "gender" in rec:
            self.genders.add(rec["visitors"], rec["gender"])
        return self

    def _visitors(self, v: np.ndarray) -> None:
        if not len(v):
            return
        outcome = v[:, V_OUTCOME].astype(int)
        self.counts += np.bincount(outcome, minlength=len(OUTCOMES))
        day = v[:, V_DAY].astype(int)
        # at closing those inside are still served (or sent home): count the former too
        self.after_closing += int(((outcome < FINISHED) & (v[:, V_DEP] > day * DAY + self.close[day % 7])).sum())
        waited = v[:, V_WAITED]
        ok = outcome < FINISHED
        for limit in self.within:
            self.within[limit] += int((ok & (waited <= limit)).sum())
        self.stay += float((v[:, V_DEP] - v[:, V_ARR]).sum())
        self.waits.append(waited.copy())

    def _visits(self, s: np.ndarray) -> None:
        if not len(s):
            return
        steps = s[:, S_STEP].astype(int)
        for i, acc in self.step_wait.items():
            at = steps == i
            n = int(at.sum())
            if n:
                acc[0] += float((s[at, S_START] - s[at, S_REQ]).sum())
                acc[1] += n

    def _busy(self, b: np.ndarray) -> None:
        if not len(b):
            return
        pools = b[:, B_POOL].astype(int)
        for p, spec in enumerate(self.c.pools):
            mine = b[pools == p]
            if not len(mine):
                continue
            minutes = mine[:, B_END] - mine[:, B_START]
            self.minutes[p] += float(minutes.sum())
            if spec.kind == "staff":
                task_steps = mine[:, B_STEP].astype(int)
                per_step = self.step_minutes[p]
                for st in np.unique(task_steps).tolist():
                    per_step[st] = per_step.get(st, 0.0) + float(minutes[task_steps == st].sum())
                self.errands[p] += _distinct_rows(mine[:, B_WEEK], mine[:, B_VISITOR])
            self.open_busy[p] += overlap(mine[:, B_START], mine[:, B_END], self.windows[:, 0], self.windows[:, 1])
            self.hour_busy[p] += overlap(mine[:, B_START], mine[:, B_END], self.bins[:, 2], self.bins[:, 3])
            if p in self.paid:
                starts, ends = self.paid[p]
                self.paid_busy[p] += overlap(mine[:, B_START], mine[:, B_END], starts, ends)

    def result(self, weeks: int) -> dict[str, float]:
        """Every KPI of the replication (counts and minutes per week)."""
        c = self.c
        out: dict[str, float] = {}
        counts = self.counts
        n = int(counts.sum())
        out["arrived"] = n / weeks
        out["served"] = counts[:FINISHED].sum() / weeks
        for o in (Outcome.SELF_SERVED, Outcome.BALKED, Outcome.GAVE_UP, Outcome.SENT_HOME):
            out[o.name.lower()] = counts[o] / weeks
        out["served_after_closing"] = float(self.after_closing) / weeks
        out["learned"] = float(np.array(self.learned or [0.0]).sum()) / weeks
        out["self_served_share"] = counts[Outcome.SELF_SERVED] / n if n else math.nan
        waited = np.concatenate(self.waits) if len(self.waits) != 1 else self.waits[0]
        out["mean_wait"] = float(waited.mean()) if n else math.nan
        out["median_wait"] = float(np.median(waited)) if n else math.nan
        out["p90_wait"] = float(np.quantile(waited, 0.9)) if n else math.nan
        out["within_10"] = self.within[10] / n if n else math.nan
        out["within_20"] = self.within[20] / n if n else math.nan
        out["time_in_office"] = self.stay / n if n else math.nan
        for i, (total, count) in self.step_wait.items():
            out[f"wait.{c.step_ids[i]}"] = total / count if count else math.nan
        hours = self.bins[:, 1].astype(int)
        for p, spec in enumerate(c.pools):
            if spec.kind == "staff":
                out[f"staff_minutes.{spec.id}"] = self.minutes[p] / weeks
                for st in sorted(self.step_minutes[p]):
                    out[f"staff_minutes.{spec.id}.{c.step_ids[st]}"] = self.step_minutes[p][st] / weeks
                out[f"errands.{spec.id}"] = self.errands[p] / weeks
            cap_w = capacity_minutes(c, p, self.windows[:, 0], self.windows[:, 1]).sum() * weeks
            busy_w = self.open_busy[p].sum()
            out[f"utilisation.{spec.id}"] = busy_w / cap_w if cap_w > 0 else math.nan
            cap_h = capacity_minutes(c, p, self.bins[:, 2], self.bins[:, 3]) * weeks
            busy_h = self.hour_busy[p]
            by_hour = [busy_h[hours == h].sum() / cap_h[hours == h].sum() for h in np.unique(hours)
                       if cap_h[hours == h].sum() > 0]
            out[f"peak_utilisation.{spec.id}"] = max(by_hour) if by_hour else math.nan
        inside = {p: float(self.paid_busy[p].sum()) for p in self.paid}
        out.update(cost_kpis_from_totals(c, self.costs, self.minutes, inside, weeks, out))
        if self.genders is not None:
            out.update(self.genders.result(weeks))
        return out


def _distinct_rows(a: np.ndarray, b: np.ndarray) -> int:
    """How many distinct (a, b) pairs (a set of tuples counted the same, by sorting instead of hashing)."""
    if not len(a):
        return 0
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    return int(1 + np.count_nonzero((a[1:] != a[:-1]) | (b[1:] != b[:-1])))


def replication_kpis(c: Compiled, rep: dict[str, np.ndarray], weeks: int) -> dict[str, float]:
    """Every KPI of one replication (counts and minutes per week) from its collected records."""
    return WeekKpis(c).add(rep).result(weeks)
