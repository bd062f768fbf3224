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
from .kpis import capacity_minutes, hour_bins, open_windows

__all__ = ["PoolLoad", "load_check", "erlang_c", "erlang_c_wait", "expected_visits"]


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


def expected_visits(c: Compiled) -> np.ndarray:
    """Expected visits per arriving visitor to each step (mixing errands and segments)."""
    n = len(c.step_ids)
    total = np.zeros(n)
    for e, es in enumerate(c.errand_shares):
        for g, gs in enumerate(c.segment_shares):
            w = es * gs
            if w <= 0:
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
            start = np.zeros(n)
            for st in c.starts:
                start[st] = 1 / len(c.starts)
            total += w * np.linalg.solve(np.eye(n) - p.T, start)
    return total


def load_check(model_or_scenario) -> list[PoolLoad]:
    """Offered load, utilisation and needed capacity per pool of a model or scenario."""
    model = _model(model_or_scenario)
    c = compile_model(model)
    visits = expected_visits(c)
    windows = open_windows(c)
    open_minutes = float((windows[:, 1] - windows[:, 0]).sum())
    bins = hour_bins(c)
    # arrivals per bin from the arrival profile
    prof = c.profile
    rate_bins = np.zeros(len(bins))
    for a, b, m in zip(prof.starts, prof.ends, prof.expected):
        ov = np.clip(np.minimum(b, bins[:, 3]) - np.maximum(a, bins[:, 2]), 0, None)
        rate_bins += m * ov / (b - a)
    bin_minutes = bins[:, 3] - bins[:, 2]
    weekly = prof.total
    out = []
    for p, spec in enumerate(c.pools):
        work = 0.0  # unit-minutes per visitor
        services, single = [], True
        for s in range(len(c.step_ids)):
            for pool, count in c.requests[s]:
                if pool == p:
                    mean = mean_of(c.durations[s])
                    work += visits[s] * count * mean
                    services.append((visits[s], mean))
                    if len(c.requests[s]) > 1 or count > 1:
                        single = False
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
        load_bins = rate_bins * work / bin_minutes
        with np.errstate(divide="ignore", invalid="ignore"):
            ub = np.where(cap_bins > 0, load_bins / cap_bins, np.where(load_bins > 0, np.inf, 0.0))
        k = int(np.argmax(ub)) if len(ub) else 0
        peak_hour = f"{('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[int(bins[k, 0])]} {int(bins[k, 1]):02d}:00" if len(bins) else ""
        need1 = math.floor(load) + 1
        need85 = math.floor(load / 0.85) + 1
        warning = None
        if util >= 1 and rostered:
            warning = (f"pool {spec.id!r} is overloaded: {load:.2f} Erlangs offered over the opening hours, but "
                       f"its roster gives an average capacity of {capacity:.3g} ({util:.0%}); it would need an "
                       f"average of at least {load:.2f} units while open, or visitors who come outside its "
                       "shifts wait in vain")
        elif util >= 1:
            warning = (f"pool {spec.id!r} is overloaded: {load:.1f} Erlangs offered on capacity {capacity:.3g} "
                       f"({util:.0%}); it needs a capacity of at least {need1} to keep up "
                       f"({need85} for utilisation under 85 %)")
        elif len(ub) and ub[k] >= 1 and not rostered:
            need_peak = math.floor(load_bins[k]) + 1
            warning = (f"pool {spec.id!r} is overloaded at the busiest hour ({peak_hour}): "
                       f"{load_bins[k]:.1f} Erlangs on capacity {cap_bins[k]:.3g} ({ub[k]:.0%}); "
                       f"it needs {need_peak} then; queues grow until the load drops")
        out.append(PoolLoad(
            pool=spec.id, offered_load=load, capacity=capacity, utilisation=util, erlang_c_wait=wait,
            capacity_for_1=need1, capacity_for_085=need85, peak_hour=peak_hour,
            peak_load=float(load_bins[k]) if len(ub) else 0.0,
            peak_capacity=float(cap_bins[k]) if len(ub) else 0.0,
            peak_utilisation=float(ub[k]) if len(ub) else 0.0, warning=warning,
        ))
    return out


def _model(x) -> ProcessModel:
    if isinstance(x, ProcessModel):
        return x
    from .scenario import Scenario, load_scenario

    if isinstance(x, Scenario):
        return x.build_model()
    return load_scenario(x).build_model()
