"""Offered load against capacity for each pool, with Erlang C where it applies.

The instant analytic estimate shown before a simulation: expected visits per step from
the flow probabilities, times mean durations, over the arrival rate. A pool at or above
100 % gets a warning naming the capacity it would need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from process_models.schema import ProcessModel

from .compiled import END, SELF, Compiled, compile_model
from .distributions import mean_of
from .windows import capacity_minutes, hour_bins, open_windows

__all__ = ["PoolLoad", "load_check", "erlang_c", "erlang_c_wait", "expected_visits", "expected_visits_by_errand"]


@dataclass(frozen=True)
class PoolLoad:
    """One pool's offered load (Erlangs) over the opening hours and at the busiest hour."""

    pool: str
    offered_load: float
    capacity: float
    utilisation: float
    erlang_c_wait: float | None
    capacity_for_1: int
    capacity_for_085: int
    peak_hour: str
    peak_load: float
    peak_capacity: float
    peak_utilisation: float
    warning: str | None
    #: what the warning is about: "average" (over the opening hours), "peak" (the busiest hour)
    #: or "off_shift" (work arrives when nobody is on the pool's roster); None without a warning
    warning_kind: str | None = None


def erlang_c(c: int, a: float) -> float:
    """Probability of waiting in M/M/c with offered load `a` Erlangs (1 if a >= c)."""
    if c <= 0 or a >= c:
        return 1.0
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


def erlang_c_wait(c: int, arrival_rate: float, mean_service: float) -> float:
    """Mean wait in queue of M/M/c (minutes); inf when overloaded."""
    a = arrival_rate * mean_service
    if a >= c:
        return math.inf
    return erlang_c(c, a) * mean_service / (c - a)


def expected_visits_by_errand(c: Compiled) -> np.ndarray:
    """Expected visits to each step per arriving visitor of each errand (errands x steps, segments mixed)."""
    n = len(c.step_ids)
    out = np.zeros((len(c.errand_shares), n))
    start = np.zeros(n)
    for st in c.starts:
        start[st] = 1 / len(c.starts)
    segments = c.segment_shares / c.segment_shares.sum()
    for e in range(len(c.errand_shares)):
        if c.errand_shares[e] <= 0:  # nobody comes with it: leave its row empty
            continue
        for g, gs in enumerate(segments):
            if gs <= 0:
                continue
            combo = c.combo(e, g)
            p = np.zeros((n, n))
            for s in range(n):
                if c.kinds[s] == END:
                    continue
                targets, cum = c.routes[s][combo]
                probs = np.diff((0.0,) + cum)
                if c.kinds[s] == SELF:
                    ok = c.success[s][combo]
                    for t, q in zip(targets, probs):
                        p[s, t] += ok * q / max(cum[-1], 1e-12)
                    ft, fc = c.fail_routes[s][combo]
                    for t, q in zip(ft, np.diff((0.0,) + fc)):
                        p[s, t] += (1 - ok) * q / max(fc[-1], 1e-12)
                else:
                    for t, q in zip(targets, probs):
                        p[s, t] += q / max(cum[-1], 1e-12)
            out[e] += gs * np.linalg.solve(np.eye(n) - p.T, start)
    return out


def expected_visits(c: Compiled) -> np.ndarray:
    """Expected visits per arriving visitor to each step (mixing errands and segments)."""
    shares = c.errand_shares / c.errand_shares.sum()
    return shares @ expected_visits_by_errand(c)


def load_check(model_or_scenario) -> list[PoolLoad]:
    """Offered load, utilisation and needed capacity per pool of a model or scenario."""
    model = _model(model_or_scenario)
    c = compile_model(model)
    by_errand = expected_visits_by_errand(c)
    shares = c.errand_shares / c.errand_shares.sum()
    visits = shares @ by_errand
    windows = open_windows(c)
    open_minutes = float((windows[:, 1] - windows[:, 0]).sum())
    bins = hour_bins(c)
    # arrivals per bin and errand from the arrival profile (an errand with hours comes only then)
    prof = c.profile
    mix = prof.errand_mix if prof.errand_mix is not None else np.tile(shares, (len(prof.expected), 1))
    rate_bins = np.zeros((len(bins), len(shares)))
    for a, b, m, row in zip(prof.starts, prof.ends, prof.expected, mix):
        ov = np.clip(np.minimum(b, bins[:, 3]) - np.maximum(a, bins[:, 2]), 0, None)
        rate_bins += np.outer(m * ov / (b - a), row)
    bin_minutes = bins[:, 3] - bins[:, 2]
    weekly = prof.total
    out = []
    for p, spec in enumerate(c.pools):
        work_by_errand = np.zeros(len(shares))  # unit-minutes per visitor of each errand
        services, single = [], True
        for s in range(len(c.step_ids)):
            for pool, count in c.requests[s]:
                if pool == p:
                    mean = mean_of(c.durations[s])
                    work_by_errand += by_errand[:, s] * count * mean
                    services.append((visits[s], mean))
                    if len(c.requests[s]) > 1 or count > 1:
                        single = False
        work = float(shares @ work_by_errand)
        load = weekly * work / open_minutes
        cap_total = capacity_minutes(c, p, windows[:, 0], windows[:, 1]).sum()
        capacity = cap_total / open_minutes
        util = load / capacity if capacity > 0 else (math.inf if load > 0 else 0.0)
        rostered = len(spec.changes) > 1
        wait = None
        if single and not rostered and services and capacity > 0:
            v = sum(x for x, _ in services)
            mean_service = sum(x * m for x, m in services) / v if v > 0 else 0.0
            wait = erlang_c_wait(int(capacity), weekly * v / open_minutes, mean_service) if v > 0 else 0.0
        cap_bins = capacity_minutes(c, p, bins[:, 2], bins[:, 3]) / bin_minutes
        load_bins = rate_bins @ work_by_errand / bin_minutes
        with np.errstate(divide="ignore", invalid="ignore"):
            ub = np.where(cap_bins > 0, load_bins / cap_bins, np.where(load_bins > 0, np.inf, 0.0))
        k = int(np.argmax(ub)) if len(ub) else 0
        peak_hour = f"{('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[int(bins[k, 0])]} {int(bins[k, 1]):02d}:00" if len(bins) else ""
        need1 = math.floor(load) + 1
        need85 = math.floor(load / 0.85) + 1
        warning = kind = None
        over_at_peak = bool(len(ub)) and ub[k] >= 1
        if rostered and over_at_peak and cap_bins[k] == 0:
            kind = "off_shift"
            warning = (f"pool {spec.id!r} gets work when nobody is on its roster: {load_bins[k]:.2f} Erlangs "
                       f"at {peak_hour} on capacity 0; visitors who come outside its shifts wait in vain")
        elif util >= 1 and not rostered:
            kind = "average"
            warning = (f"pool {spec.id!r} is overloaded: {load:.1f} Erlangs offered on capacity {capacity:.3g} "
                       f"({util:.0%}); it needs a capacity of at least {need1} to keep up "
                       f"({need85} for utilisation under 85 %)")
        elif over_at_peak:  # a rostered pool is judged against who is on shift in that hour
            kind = "peak"
            when = (f"during its shifts: at the busiest hour ({peak_hour})" if rostered
                    else f"at the busiest hour ({peak_hour}):")
            warning = (f"pool {spec.id!r} is overloaded {when} {load_bins[k]:.1f} Erlangs on capacity "
                       f"{cap_bins[k]:.3g} ({ub[k]:.0%}); it needs {math.floor(load_bins[k]) + 1} then; "
                       "queues grow until the load drops")
        out.append(PoolLoad(
            pool=spec.id, offered_load=load, capacity=capacity, utilisation=util, erlang_c_wait=wait,
            capacity_for_1=need1, capacity_for_085=need85, peak_hour=peak_hour,
            peak_load=float(load_bins[k]) if len(ub) else 0.0,
            peak_capacity=float(cap_bins[k]) if len(ub) else 0.0,
            peak_utilisation=float(ub[k]) if len(ub) else 0.0, warning=warning, warning_kind=kind,
        ))
    return out


def _model(x) -> ProcessModel:
    if isinstance(x, ProcessModel):
        return x
    from .scenario import Scenario, load_scenario

    if isinstance(x, Scenario):
        return x.build_model()
    return load_scenario(x).build_model()
