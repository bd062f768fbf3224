"""Checks beyond types: references, reachability, probabilities, shares, capacities.

Each check returns Problems with the field path of the offending value, so the loader can
add the file and line. A model that passes every check can be simulated and rendered.
"""

from __future__ import annotations

import itertools
import math
from typing import Callable, Iterator

import networkx as nx

from .errors import Problem
from .limits import MAX_CAPACITY, MAX_WEEKLY_VISITORS
from .schema import WEEKDAYS, ProcessModel

__all__ = ["CHECKS", "run_checks", "reachable_steps", "pool_has_capacity", "expects_visitors"]

TOLERANCE = 1e-6


def _problem(check: str, path: tuple, message: str) -> Problem:
    return Problem(check=check, path=path, message=message)


def check_limits(m: ProcessModel) -> Iterator[Problem]:
    """Figures no office comes near (1e30 visitors a week), refused before the simulation tries them."""
    if m.demand.weekly_visitors > MAX_WEEKLY_VISITORS:
        yield _problem("limit", ("demand", "weekly_visitors"),
                       f"{m.demand.weekly_visitors:,} visitors a week; expected at most {MAX_WEEKLY_VISITORS:,}")
    for i, pool in enumerate(m.pools):
        if pool.capacity > MAX_CAPACITY:
            yield _problem("limit", ("pools", i, "capacity"),
                           f"capacity {pool.capacity:,}; expected at most {MAX_CAPACITY:,}")
        for day, shifts in (pool.roster or {}).items():
            for j, shift in enumerate(shifts):
                if shift.capacity > MAX_CAPACITY:
                    yield _problem("limit", ("pools", i, "roster", day, j, "capacity"),
                                   f"capacity {shift.capacity:,}; expected at most {MAX_CAPACITY:,}")


def check_unique_ids(m: ProcessModel) -> Iterator[Problem]:
    for field in ("lanes", "pools", "steps", "errands", "segments", "annotations"):
        seen: dict[str, int] = {}
        for i, item in enumerate(getattr(m, field)):
            if item.id in seen:
                yield _problem(
                    "duplicate_id",
                    (field, i, "id"),
                    f"id {item.id!r} is used twice in {field} (first at {field}[{seen[item.id]}]); "
                    "expected unique ids",
                )
            seen.setdefault(item.id, i)


def _unknown(kind: str, value: str, known: set[str]) -> str:
    options = ", ".join(sorted(known)) or "none defined"
    return f"unknown {kind} {value!r}; expected one of: {options}"


def check_references(m: ProcessModel) -> Iterator[Problem]:
    lanes = {l.id for l in m.lanes}
    pools = {p.id for p in m.pools}
    steps = {s.id for s in m.steps}
    errands = {e.id for e in m.errands}
    segments = {s.id for s in m.segments}
    for i, step in enumerate(m.steps):
        if step.lane not in lanes:
            yield _problem("unknown_reference", ("steps", i, "lane"), _unknown("lane", step.lane, lanes))
        for j, req in enumerate(step.requests):
            if req.pool not in pools:
                yield _problem(
                    "unknown_reference", ("steps", i, "requests", j, "pool"), _unknown("pool", req.pool, pools)
                )
        if step.success:
            for seg in step.success.by_segment:
                if seg not in segments:
                    yield _problem(
                        "unknown_reference",
                        ("steps", i, "success", "by_segment", seg),
                        _unknown("segment", seg, segments),
                    )
    for i, flow in enumerate(m.flows):
        for key, value in (("from", flow.source_step), ("to", flow.target_step)):
            if value not in steps:
                yield _problem("unknown_reference", ("flows", i, key), _unknown("step", value, steps))
        if flow.when:
            for j, e in enumerate(flow.when.errands):
                if e not in errands:
                    yield _problem(
                        "unknown_reference", ("flows", i, "when", "errands", j), _unknown("errand", e, errands)
                    )
            for j, s in enumerate(flow.when.segments):
                if s not in segments:
                    yield _problem(
                        "unknown_reference",
                        ("flows", i, "when", "segments", j),
                        _unknown("segment", s, segments),
                    )
    for i, pool in enumerate(m.pools):
        for j, skill in enumerate(pool.skills):
            for k, area in enumerate(skill.areas):
                if area not in errands:
                    yield _problem(
                        "unknown_reference",
                        ("pools", i, "skills", j, "areas", k),
                        _unknown("errand", area, errands),
                    )
    for i, note in enumerate(m.annotations):
        if note.step not in steps:
            yield _problem("unknown_reference", ("annotations", i, "step"), _unknown("step", note.step, steps))


def _graph(m: ProcessModel) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(s.id for s in m.steps)
    g.add_edges_from(
        (f.source_step, f.target_step) for f in m.flows if f.probability > 0 and f.target_step in g
    )
    return g


def _reachable(g: nx.DiGraph, sources: list) -> set[str]:
    """Nodes reachable from any of `sources` (steps or ids), in one walk: linear, however many sources."""
    ids = [getattr(s, "id", s) for s in sources]
    seen = set(ids)
    stack = list(ids)
    while stack:
        for nxt in g.successors(stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def reachable_steps(m: ProcessModel) -> set[str]:
    """Steps a visitor can reach from any start step along flows with probability > 0."""
    return _reachable(_graph(m), m.starts())


def check_structure(m: ProcessModel) -> Iterator[Problem]:
    index = {s.id: i for i, s in enumerate(m.steps)}
    if not m.starts():
        yield _problem("structure", ("steps",), "no step of kind 'start'; expected at least one")
    if not any(s.kind == "end" for s in m.steps):
        yield _problem("structure", ("steps",), "no step of kind 'end'; expected at least one")
    for i, flow in enumerate(m.flows):
        src = m.steps[index[flow.source_step]] if flow.source_step in index else None
        dst = m.steps[index[flow.target_step]] if flow.target_step in index else None
        if src is not None and src.kind == "end":
            yield _problem("structure", ("flows", i, "from"), f"end step {src.id!r} cannot have outgoing flows")
        if dst is not None and dst.kind == "start":
            yield _problem("structure", ("flows", i, "to"), f"start step {dst.id!r} cannot have incoming flows")
    for i, step in enumerate(m.steps):
        if step.kind == "self_service" and step.success is None:
            yield _problem(
                "outcome", ("steps", i, "success"), "a self_service step needs `success` (chance to finish alone)"
            )
        if step.kind != "self_service" and step.success is not None:
            yield _problem("outcome", ("steps", i, "success"), "only self_service steps take `success`")
        if step.kind in ("start", "end", "decision") and step.requests:
            yield _problem(
                "structure", ("steps", i, "requests"), f"a {step.kind} step cannot request resources"
            )


def check_reachability(m: ProcessModel) -> Iterator[Problem]:
    g = _graph(m)
    reach = _reachable(g, m.starts())
    ends = [s.id for s in m.steps if s.kind == "end"]
    can_end = _reachable(g.reverse(copy=False), ends)
    has_start = bool(m.starts())
    for i, step in enumerate(m.steps):
        if has_start and step.id not in reach:
            yield _problem(
                "unreachable", ("steps", i, "id"), f"step {step.id!r} cannot be reached from any start step"
            )
        elif ends and step.id not in can_end:
            yield _problem(
                "dead_end", ("steps", i, "id"), f"step {step.id!r} cannot reach any end step; visitors would be stuck"
            )


def _groups(items: list, conditions: list[list[str]]) -> list:
    """The first of each set of items (errands or segments) that the same flows' conditions name.

    Items named by the same conditions get the same flows, so checking one of each keeps the
    check linear in errands + segments instead of their product; first members keep model order.
    """
    firsts: dict[tuple, object] = {}
    for item in items:
        firsts.setdefault(tuple(not names or item.id in names for names in conditions), item)
    return list(firsts.values())


def check_probabilities(m: ProcessModel) -> Iterator[Problem]:
    """For every errand × segment (× outcome), the flows that apply sum to 1."""
    flows_index = {id(f): i for i, f in enumerate(m.flows)}
    outgoing: dict[str, list] = {}
    for f in m.flows:  # one pass; m.outgoing() per step would make this quadratic
        outgoing.setdefault(f.source_step, []).append(f)
    for i, step in enumerate(m.steps):
        out = outgoing.get(step.id, [])
        if step.kind == "end" or not out:
            continue
        if step.kind == "self_service":
            outcomes: list[str | None] = ["success", "failure"]
            for f in out:
                if f.outcome is None:
                    yield _problem(
                        "outcome",
                        ("flows", flows_index[id(f)], "outcome"),
                        f"flows out of self_service step {step.id!r} need `outcome: success` or `failure`",
                    )
        else:
            outcomes = [None]
            for f in out:
                if f.outcome is not None:
                    yield _problem(
                        "outcome",
                        ("flows", flows_index[id(f)], "outcome"),
                        f"`outcome` is only for flows out of self_service steps; {step.id!r} is a {step.kind}",
                    )
        errand_groups = _groups(m.errands, [f.when.errands if f.when else [] for f in out])
        segment_groups = _groups(m.segments, [f.when.segments if f.when else [] for f in out])
        for outcome, errand, segment in itertools.product(outcomes, errand_groups, segment_groups):
            applicable = [
                f for f in out if f.outcome == outcome and f.applies(errand.id, segment.id)
            ]
            total = sum(f.probability for f in applicable)
            if not math.isclose(total, 1.0, abs_tol=TOLERANCE):
                cond = f"errand {errand.id!r}, segment {segment.id!r}"
                if outcome:
                    cond += f", outcome {outcome!r}"
                path = ("flows", flows_index[id(applicable[0])]) if applicable else ("steps", i, "id")
                yield _problem(
                    "probabilities",
                    path,
                    f"outgoing probabilities of step {step.id!r} for {cond} sum to {total:g}; expected 1",
                )
                break  # one message per step is enough to act on; the rest usually follow


def check_shares(m: ProcessModel) -> Iterator[Problem]:
    for field in ("errands", "segments"):
        total = sum(item.share for item in getattr(m, field))
        if not math.isclose(total, 1.0, abs_tol=TOLERANCE):
            yield _problem("shares", (field,), f"shares of {field} sum to {total:g}; expected 1")
    total = sum(m.demand.weekday_profile.values())
    if not math.isclose(total, 1.0, abs_tol=TOLERANCE):
        yield _problem(
            "shares", ("demand", "weekday_profile"), f"weekday shares sum to {total:g}; expected 1"
        )


def check_demand(m: ProcessModel) -> Iterator[Problem]:
    for day, weight in m.demand.weekday_profile.items():
        if weight > 0 and day not in m.opening_hours:
            yield _problem(
                "demand",
                ("demand", "weekday_profile", day),
                f"visitors expected on {day!r}, but the office has no opening hours that day",
            )
    if sum(m.demand.hourly_profile.values()) <= 0:
        yield _problem("demand", ("demand", "hourly_profile"), "hourly profile is all zero; expected some weight")
    open_hours = {
        h
        for hours in m.opening_hours.values()
        for h in range(int(hours.open[:2]), int(hours.close[:2]) + (hours.close[3:] != "00"))
    }
    for hour, weight in m.demand.hourly_profile.items():
        if weight > 0 and hour not in open_hours:
            yield _problem(
                "demand",
                ("demand", "hourly_profile", hour),
                f"arrivals at {hour:02d}:00, but no day is open then",
            )
    for i, e in enumerate(m.errands):
        for day, hours in (e.arrival_hours or {}).items():
            if not expects_visitors(m.opening_hours, m.demand.weekday_profile, m.demand.hourly_profile,
                                    day, hours.open, hours.close):
                yield _problem(
                    "demand",
                    ("errands", i, "arrival_hours", day),
                    f"{e.id!r} arrives {day} {hours.open}-{hours.close}, but no visitors are expected then "
                    "(office closed or no arrival weight); expected hours when the office is open",
                )
    rng = m.demand.weekly_range
    if rng and not rng[0] <= m.demand.weekly_visitors <= rng[1]:
        yield _problem(
            "demand",
            ("demand", "weekly_visitors"),
            f"{m.demand.weekly_visitors} lies outside the stated range {rng[0]}-{rng[1]}",
        )


def expects_visitors(opening_hours: dict, weekday_profile: dict, hourly_profile: dict,
                     day: str, start: str, end: str) -> bool:
    """Whether the office is open on `day` for part of [start, end) with some arrival weight then.

    Takes the demand as plain data, so calibration can ask before it has built a model.
    """
    hours = opening_hours.get(day)
    if hours is None or weekday_profile.get(day, 0) <= 0:
        return False
    lo, hi = max(start, hours.open), min(end, hours.close)
    first, last = int(lo[:2]), int(hi[:2]) + (hi[3:] != "00")
    return lo < hi and any(hourly_profile.get(h, 0) > 0 for h in range(first, last))


def pool_has_capacity(pool) -> bool:
    """True if the pool ever has a unit: base capacity or any roster shift."""
    if pool.roster:
        return any(shift.capacity > 0 for shifts in pool.roster.values() for shift in shifts)
    return pool.capacity > 0


def check_capacities(m: ProcessModel) -> Iterator[Problem]:
    reach = reachable_steps(m)
    pools = {p.id: p for p in m.pools}
    for i, pool in enumerate(m.pools):
        if pool.capacity < 0:
            yield _problem("capacity", ("pools", i, "capacity"), f"capacity {pool.capacity} is negative; expected >= 0")
        skilled = sum(s.count for s in pool.skills)
        if skilled > max(pool.capacity, 0):
            yield _problem(
                "capacity",
                ("pools", i, "skills"),
                f"skills name {skilled} members but the pool has capacity {pool.capacity}",
            )
        for day, shifts in (pool.roster or {}).items():
            for j, shift in enumerate(shifts):
                if shift.start >= shift.end:
                    yield _problem(
                        "capacity",
                        ("pools", i, "roster", day, j),
                        f"shift {shift.start}-{shift.end} ends before it starts",
                    )
    for i, step in enumerate(m.steps):
        if step.id not in reach:
            continue
        for j, req in enumerate(step.requests):
            pool = pools.get(req.pool)
            if pool is None:
                continue
            if not pool_has_capacity(pool):
                yield _problem(
                    "empty_pool",
                    ("steps", i, "requests", j, "pool"),
                    f"step {step.id!r} needs pool {pool.id!r}, which has no capacity; "
                    "visitors would wait forever",
                )
            elif req.count > max(pool.capacity, 0) and not pool.roster:
                yield _problem(
                    "capacity",
                    ("steps", i, "requests", j, "count"),
                    f"step {step.id!r} needs {req.count} of pool {pool.id!r}, which has only {pool.capacity}",
                )


def check_durations(m: ProcessModel) -> Iterator[Problem]:
    for i, step in enumerate(m.steps):
        if step.kind in ("task", "self_service") and step.duration is None:
            yield _problem(
                "duration", ("steps", i, "duration"), f"a {step.kind} step needs a duration in minutes"
            )
        if step.kind in ("start", "end") and step.duration is not None:
            yield _problem("duration", ("steps", i, "duration"), f"a {step.kind} step takes no time")


def check_weekdays(m: ProcessModel) -> Iterator[Problem]:
    for day in m.opening_hours:
        if day not in WEEKDAYS:  # pragma: no cover - schema already restricts keys
            yield _problem("demand", ("opening_hours", day), f"unknown weekday {day!r}")



def _served_after(m: ProcessModel, step_id: str, seen: set[str]) -> bool:
    """True when a step after `step_id` (looking through decisions) requests a resource."""
    for flow in m.outgoing(step_id):
        if flow.target_step in seen:
            continue
        seen.add(flow.target_step)
        nxt = next((s for s in m.steps if s.id == flow.target_step), None)
        if nxt is None:
            continue
        if nxt.requests or (nxt.kind == "decision" and _served_after(m, nxt.id, seen)):
            return True
    return False


def check_queues(m: ProcessModel) -> Iterator[Problem]:
    """A queue waits for the next step's staff or equipment; before steps that need none it waits for nothing."""
    for i, step in enumerate(m.steps):
        if step.kind == "queue" and m.outgoing(step.id) and not _served_after(m, step.id, {step.id}):
            yield _problem(
                "queue_without_resource",
                ("steps", i, "id"),
                f"queue {step.id!r} is followed by no step that needs staff or equipment; visitors would queue for nothing",
            )

CHECKS: tuple[Callable[[ProcessModel], Iterator[Problem]], ...] = (
    check_limits,
    check_unique_ids,
    check_references,
    check_structure,
    check_reachability,
    check_probabilities,
    check_shares,
    check_demand,
    check_capacities,
    check_durations,
    check_queues,
)


def run_checks(m: ProcessModel) -> list[Problem]:
    """All problems of a type-valid model; limits, then references first so later checks can rely on them."""
    problems = list(check_limits(m)) + list(check_unique_ids(m)) + list(check_references(m))
    if problems:
        return problems
    for check in CHECKS[3:]:
        problems.extend(check(m))
    return list(dict.fromkeys(problems))
