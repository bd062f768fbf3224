"""Results of replications: flat immutable records, KPI estimates and DataFrame views.

Records stay numpy arrays (read-only) per replication; DataFrames are built on demand.
The KPI functions here are pure functions over `Records`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from process_models.session import Estimate

from .compiled import QUEUE, Compiled
from .costs import PAYBACK_BASES, CostSpec, Payback, baseline_cost_kpis, payback
from .records import BUSY_COLUMNS, OUTCOMES, VISIT_COLUMNS, VISIT_STATUS, VISITOR_COLUMNS, Gender
from .kpis import SHARES, direction, estimate, kpi_bounds
from .windows import capacity_minutes, hour_bins, overlap
from .loadcheck import PoolLoad

__all__ = [
    "Records",
    "RunResult",
    "Comparison",
    "kpi_estimates",
    "step_waits",
    "hourly_queue_length",
    "hourly_utilisation",
    "outcome_counts_per_day",
]

GENDER_NAMES = tuple(g.name.lower() for g in Gender)
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Records:
    """Per replication: arrays `visitors`, `visits`, `busy` (columns as in engine, plus `week`), and
    `gender` beside the visitors when the model gives shares of women."""

    compiled: Compiled
    weeks: int
    reps: tuple[dict, ...]

    @property
    def replications(self) -> int:
        return len(self.reps)

    def frame(self, kind: str) -> pd.DataFrame:
        """All replications of one record kind as a DataFrame with ids instead of codes."""
        cols = {"visitors": VISITOR_COLUMNS, "visits": VISIT_COLUMNS, "busy": BUSY_COLUMNS}[kind] + ("week",)
        parts = []
        for r, rep in enumerate(self.reps):
            df = pd.DataFrame(rep[kind], columns=list(cols))
            df.insert(0, "replication", r)
            if kind == "visitors" and "gender" in rep:
                df["gender"] = pd.Categorical.from_codes(rep["gender"].astype(int), GENDER_NAMES)
            parts.append(df)
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["replication", *cols])
        c = self.compiled
        for col in ("visitor", "day", "week", "member"):
            if col in df:
                df[col] = df[col].astype(int)
        if kind == "visitors":
            df["errand"] = pd.Categorical.from_codes(df["errand"].astype(int), c.errand_ids)
            df["segment"] = pd.Categorical.from_codes(df["segment"].astype(int), c.segment_ids)
            df["outcome"] = pd.Categorical.from_codes(df["outcome"].astype(int), OUTCOMES)
        if "step" in df:
            df["step"] = pd.Categorical.from_codes(df["step"].astype(int), c.step_ids)
        if kind == "visits":
            df["status"] = pd.Categorical.from_codes(df["status"].astype(int), VISIT_STATUS)
        if kind == "busy":
            df["pool"] = pd.Categorical.from_codes(df["pool"].astype(int), [p.id for p in c.pools])
        return df


def kpi_estimates(rep_kpis: list[dict[str, float]], capped: tuple[str, ...] = ()) -> dict[str, Estimate]:
    """Mean and 95 % CI of every KPI over replications, cut at what the KPI can be (`kpi_bounds`;
    `capped`: the pools whose utilisation cannot pass 1)."""
    names = list(dict.fromkeys(k for d in rep_kpis for k in d))
    out = {}
    for name in names:
        e = estimate([d.get(name, np.nan) for d in rep_kpis], kpi_bounds(name, capped))
        if e is not None:
            out[name] = e
    return out


def step_waits(records: Records) -> dict[str, Estimate]:
    """Mean wait at each queue step, and at each task that had to wait for its resources."""
    c = records.compiled
    out = {}
    for i, step_id in enumerate(c.step_ids):
        if not (c.kinds[i] == QUEUE or c.requests[i]):
            continue
        per_rep = []
        for rep in records.reps:
            v = rep["visits"]
            at = v[:, 1] == i
            per_rep.append((v[at, 3] - v[at, 2]).mean() if at.any() else np.nan)
        e = estimate(per_rep, (0.0, math.inf))
        if e is not None:
            out[step_id] = e
    return out


def hourly_queue_length(records: Records) -> pd.DataFrame:
    """Mean number waiting by weekday and clock hour: at each queue step, and at each task
    that had to wait for its resources without a queue step before it."""
    c = records.compiled
    bins = hour_bins(c)
    rows = []
    for q, kind in enumerate(c.kinds):
        if not (kind == QUEUE or c.requests[q]):
            continue
        total = np.zeros(len(bins))
        for rep in records.reps:
            v = rep["visits"]
            at = v[:, 1] == q
            total += overlap(v[at, 2], v[at, 3], bins[:, 2], bins[:, 3])
        if kind != QUEUE and not total.any():
            continue
        mean = total / (bins[:, 3] - bins[:, 2]) / (records.replications * records.weeks)
        for (d, h, _, _), x in zip(bins, mean):
            rows.append((WEEKDAY_NAMES[int(d)], int(h), c.step_ids[q], float(x)))
    return pd.DataFrame(rows, columns=["weekday", "hour", "step", "queue_length"])


def hourly_utilisation(records: Records) -> pd.DataFrame:
    """Share of each pool's capacity in use by weekday and clock hour (NaN where capacity is 0)."""
    c = records.compiled
    bins = hour_bins(c)
    rows = []
    for p, spec in enumerate(c.pools):
        busy = np.zeros(len(bins))
        for rep in records.reps:
            b = rep["busy"]
            mine = b[b[:, 0] == p]
            busy += overlap(mine[:, 4], mine[:, 5], bins[:, 2], bins[:, 3])
        cap = capacity_minutes(c, p, bins[:, 2], bins[:, 3]) * records.replications * records.weeks
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(cap > 0, busy / cap, np.nan)
        for (d, h, _, _), x in zip(bins, util):
            rows.append((WEEKDAY_NAMES[int(d)], int(h), spec.id, float(x)))
    return pd.DataFrame(rows, columns=["weekday", "hour", "pool", "utilisation"])


def outcome_counts_per_day(records: Records) -> pd.DataFrame:
    """Arrivals and outcomes per replication, week and day (for the conservation check)."""
    df = records.frame("visitors")
    table = pd.crosstab([df["replication"], df["week"], df["day"]], df["outcome"]).reindex(
        columns=list(OUTCOMES), fill_value=0)
    table["arrived"] = df.groupby(["replication", "week", "day"]).size()
    return table.reset_index()


@dataclass(frozen=True)
class RunResult:
    """Replications of one scenario: records, per-replication KPIs and the load check."""

    scenario: object
    seed: int
    records: Records | None
    rep_kpis: tuple[dict, ...]
    load: tuple[PoolLoad, ...] = field(default=())
    costs: CostSpec | None = None
    capped: tuple[str, ...] = ()  # pools without a roster: utilisation at most 1

    @property
    def replications(self) -> int:
        return len(self.rep_kpis)

    def kpis(self) -> dict[str, Estimate]:
        return kpi_estimates(list(self.rep_kpis), self.capped)

    def _need_records(self) -> Records:
        if self.records is None:
            raise ValueError("this run kept no records (keep_records=False)")
        return self.records

    @cached_property
    def visitors(self) -> pd.DataFrame:
        return self._need_records().frame("visitors")

    @cached_property
    def visits(self) -> pd.DataFrame:
        return self._need_records().frame("visits")

    @cached_property
    def resources(self) -> pd.DataFrame:
        return self._need_records().frame("busy")


@dataclass(frozen=True)
class Comparison:
    """Scenarios run with common random numbers; differences are paired per replication."""

    names: tuple[str, ...]
    results: tuple[RunResult, ...]
    baseline: int = 0

    def rep_kpis(self, i: int) -> list[dict[str, float]]:
        """Scenario i's KPIs per replication, plus staff (and guide) minutes freed against the baseline."""
        base = self.results[self.baseline].rep_kpis
        rows = []
        for mine, theirs in zip(self.results[i].rep_kpis, base):
            d = dict(mine)
            # a pool only one side has counts as 0 minutes on the other (the kiosk office has no desk)
            pools = [k for k in dict.fromkeys([*theirs, *mine]) if k.startswith("staff_minutes.") and k.count(".") == 1]
            for k in pools:
                d[f"staff_minutes_freed.{k.split('.', 1)[1]}"] = theirs.get(k, 0.0) - mine.get(k, 0.0)
            d["staff_minutes_freed"] = sum(theirs.get(k, 0.0) - mine.get(k, 0.0) for k in pools)
            d["guide_minutes_freed"] = theirs.get("staff_minutes.guides", 0.0) - mine.get("staff_minutes.guides", 0.0)
            d.update(baseline_cost_kpis(mine, theirs, self.results[i].costs, self.results[self.baseline].costs))
            rows.append(d)
        return rows

    def kpis(self) -> list[dict[str, Estimate]]:
        """Every scenario's KPIs against the baseline, with the payback times where they are finite."""
        out = []
        for i in range(len(self.results)):
            est = kpi_estimates(self.rep_kpis(i), self.results[i].capped)
            for name in PAYBACK_BASES:
                p = self.payback(i, name, est)
                if p is not None and p.estimate() is not None:
                    est[name] = p.estimate()
            out.append(est)
        return out

    def payback(self, i: int, basis: str = "payback_years", est: dict[str, Estimate] | None = None) -> Payback | None:
        """Scenario i's payback time (`payback_years`: on the cash saving; `payback_years.with_time`: on
        the net benefit, staff time freed included), or None without costs."""
        est = est if est is not None else kpi_estimates(self.rep_kpis(i), self.results[i].capped)
        saving = est.get(PAYBACK_BASES[basis])
        if saving is None or i == self.baseline:
            return None
        base = self.results[self.baseline].costs
        one_off = self.results[i].costs.one_off - base.one_off
        return payback(one_off, saving)

    def difference(self, i: int) -> dict[str, Estimate]:
        """Scenario i minus the baseline, per KPI, with a paired 95 % CI."""
        base = self.rep_kpis(self.baseline)
        mine = self.rep_kpis(i)
        out = {}
        for name in dict.fromkeys(k for d in mine for k in d):
            diffs = [a.get(name, np.nan) - b.get(name, np.nan) for a, b in zip(mine, base)]
            e = estimate(diffs, (-1.0, 1.0) if name in SHARES else (-math.inf, math.inf))
            if e is not None:
                out[name] = e
        return out

    def table(self) -> pd.DataFrame:
        """Rows KPIs; per scenario the estimate, and the difference to the baseline with its verdict."""
        ests = self.kpis()
        names = list(dict.fromkeys(k for e in ests for k in e))
        cols: dict[str, list] = {"kpi": names, "lower_is_better": [direction(n) == -1 for n in names]}
        for i, (label, est) in enumerate(zip(self.names, ests)):
            cols[f"{label}"] = [est[n].mean if n in est else np.nan for n in names]
            cols[f"{label} low"] = [est[n].low if n in est else np.nan for n in names]
            cols[f"{label} high"] = [est[n].high if n in est else np.nan for n in names]
            if i == self.baseline:
                continue
            diff = self.difference(i)
            cols[f"{label} diff"] = [diff[n].mean if n in diff else np.nan for n in names]
            cols[f"{label} diff low"] = [diff[n].low if n in diff else np.nan for n in names]
            cols[f"{label} diff high"] = [diff[n].high if n in diff else np.nan for n in names]
            cols[f"{label} verdict"] = [_verdict(n, diff.get(n)) for n in names]
        return pd.DataFrame(cols).set_index("kpi")


def _verdict(name: str, diff: Estimate | None) -> str:
    if diff is None:
        return ""
    sign = direction(name)
    if diff.low <= 0 <= diff.high or sign == 0:
        return "no clear difference" if sign else ""
    return "better" if (diff.mean > 0) == (sign > 0) else "worse"
