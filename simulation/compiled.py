"""A ProcessModel compiled into flat tables the engine reads without lookups by name.

Built once per model; routing per step and errand x segment ("combo"), the requests of
each step, preferred staff members per combo, and each pool's capacity over the week.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import networkx as nx
import numpy as np

from process_models.schema import WEEKDAYS, ProcessModel

from .arrivals import DAY, ArrivalProfile, arrival_profile, clock_minutes

__all__ = ["START", "END", "TASK", "QUEUE", "DECISION", "SELF", "PoolSpec", "Compiled", "compile_model"]

START, END, TASK, QUEUE, DECISION, SELF = range(6)
_KINDS = {"start": START, "end": END, "task": TASK, "queue": QUEUE, "decision": DECISION, "self_service": SELF}


@dataclass(frozen=True)
class PoolSpec:
    """A pool's capacity over the week and which members each combo prefers."""

    id: str
    kind: str
    changes: tuple[tuple[float, int], ...]  # (minute, capacity from then on), first at 0
    preferred: tuple[tuple[int, ...], ...]  # per combo, member ids to try first

    def capacity_at(self, t: float) -> int:
        i = bisect.bisect_right([c[0] for c in self.changes], t) - 1
        return self.changes[max(i, 0)][1]

    @property
    def max_capacity(self) -> int:
        return max(c[1] for c in self.changes)


@dataclass(frozen=True)
class Compiled:
    model: ProcessModel
    step_ids: tuple[str, ...]
    kinds: tuple[int, ...]
    starts: tuple[int, ...]
    n_segments: int
    errand_ids: tuple[str, ...]
    segment_ids: tuple[str, ...]
    errand_shares: np.ndarray
    segment_shares: np.ndarray
    booked: tuple[bool, ...]
    routes: tuple  # routes[s][combo] = (targets, cumulative probabilities); failure routes for self-service
    fail_routes: tuple
    success: tuple  # success[s][combo] = chance to finish alone (self-service steps)
    requests: tuple[tuple[tuple[int, int], ...], ...]  # per step: (pool index, count)
    priority: tuple[bool, ...]
    durations: tuple
    patience: tuple
    balk_at: tuple
    outcomes: tuple[str | None, ...]
    pools: tuple[PoolSpec, ...]
    opening: tuple[tuple[int, int] | None, ...]  # per weekday (open, close) minutes of the day
    profile: ArrivalProfile
    cyclic: bool  # a visitor can come back to a step (then revisits draw from a spare stream)
    women_shares: np.ndarray | None = None  # per segment (NaN: no share given); None: no segment has one

    def combo(self, errand: int, segment: int) -> int:
        return errand * self.n_segments + segment

    def step_index(self, step_id: str) -> int:
        return self.step_ids.index(step_id)


def _routes(model: ProcessModel, step_id: str, combos, outcome) -> list:
    out = [f for f in model.outgoing(step_id) if f.outcome == outcome and f.probability > 0]
    table = []
    for errand, segment in combos:
        flows = [f for f in out if f.applies(errand, segment)]
        targets = tuple(f.target_step for f in flows)
        cum = tuple(np.cumsum([f.probability for f in flows]).tolist())
        table.append((targets, cum))
    return table


def _pool_spec(pool, combos, languages) -> PoolSpec:
    if pool.roster:
        events: dict[float, int] = {}
        for day, shifts in pool.roster.items():
            d = WEEKDAYS.index(day) * DAY
            for s in shifts:
                events[d + clock_minutes(s.start)] = events.get(d + clock_minutes(s.start), 0) + s.capacity
                events[d + clock_minutes(s.end)] = events.get(d + clock_minutes(s.end), 0) - s.capacity
        changes, cap = [(0.0, 0)], 0
        for t in sorted(events):
            cap += events[t]
            changes.append((float(t), cap))
    else:
        changes = [(0.0, max(pool.capacity, 0))]
    member_langs: list[set] = []
    member_areas: list[set] = []
    for skill in pool.skills:
        for _ in range(skill.count):
            member_langs.append(set(skill.languages))
            member_areas.append(set(skill.areas))
    preferred = []
    for (errand, segment), lang in zip(combos, languages):
        preferred.append(
            tuple(m for m in range(len(member_langs)) if lang in member_langs[m] or errand in member_areas[m])
        )
    return PoolSpec(pool.id, pool.kind, tuple(changes), tuple(preferred))


def compile_model(model: ProcessModel, weekly_visitors: float | None = None) -> Compiled:
    """Flatten a checked model for the engine."""
    step_ids = tuple(s.id for s in model.steps)
    index = {s: i for i, s in enumerate(step_ids)}
    pool_index = {p.id: i for i, p in enumerate(model.pools)}
    combos = [(e.id, g.id) for e in model.errands for g in model.segments]
    languages = [g.language for e in model.errands for g in model.segments]

    def to_index(table):
        return tuple((tuple(index[t] for t in targets), cum) for targets, cum in table)

    routes, fails, success = [], [], []
    for s in model.steps:
        if s.kind == "self_service":
            routes.append(to_index(_routes(model, s.id, combos, "success")))
            fails.append(to_index(_routes(model, s.id, combos, "failure")))
            success.append(tuple(s.success.for_segment(g) for _, g in combos))
        else:
            routes.append(to_index(_routes(model, s.id, combos, None)))
            fails.append(None)
            success.append(None)
    errand_of = {e.id: e for e in model.errands}
    opening = []
    for day in WEEKDAYS:
        h = model.opening_hours.get(day)
        opening.append(None if h is None else (clock_minutes(h.open), clock_minutes(h.close)))
    return Compiled(
        model=model,
        step_ids=step_ids,
        kinds=tuple(_KINDS[s.kind] for s in model.steps),
        starts=tuple(index[s.id] for s in model.starts()),
        n_segments=len(model.segments),
        errand_ids=tuple(e.id for e in model.errands),
        segment_ids=tuple(g.id for g in model.segments),
        errand_shares=np.array([e.share for e in model.errands], float),
        segment_shares=np.array([g.share for g in model.segments], float),
        booked=tuple(errand_of[e].booked for e, _ in combos),
        routes=tuple(routes),
        fail_routes=tuple(fails),
        success=tuple(success),
        requests=tuple(tuple((pool_index[r.pool], r.count) for r in s.requests) for s in model.steps),
        priority=tuple(s.discipline == "priority" for s in model.steps),
        durations=tuple(s.duration for s in model.steps),
        patience=tuple(s.patience for s in model.steps),
        balk_at=tuple(s.balk_at for s in model.steps),
        outcomes=tuple(s.outcome for s in model.steps),
        pools=tuple(_pool_spec(p, combos, languages) for p in model.pools),
        opening=tuple(opening),
        profile=arrival_profile(model, weekly_visitors),
        cyclic=not nx.is_directed_acyclic_graph(
            nx.DiGraph([(f.source_step, f.target_step) for f in model.flows if f.probability > 0])),
        women_shares=_women_shares(model),
    )


def _women_shares(model: ProcessModel) -> np.ndarray | None:
    """Each segment's share of women (NaN where the segment gives none), or None if no segment gives one."""
    if not any(g.gender for g in model.segments):
        return None
    return np.array([g.gender.women_share if g.gender else np.nan for g in model.segments], float)
