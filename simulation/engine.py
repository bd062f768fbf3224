"""The SimPy model that executes a compiled process model for one week.

Visitors are plain generator processes walking the steps (`visitor.py`: a task or
self-service part and a queue part; `routes.py`: the route part that picks the next step). Every random number a visitor uses
at a step comes from that step's stream, indexed by the visitor, so two scenarios see the
same visitors with the same luck (common random numbers). The records written are those of
`records.py`; SimPy's internals are only touched through `simpy_compat.py`.
"""

from __future__ import annotations

import gc
import zlib
from array import array

import numpy as np

from .arrivals import DAY, Arrivals
from .compiled import END, QUEUE, SELF, START, Compiled
from .distributions import quantiles
from .pools import Pool
from .recorder import Recorder
from .records import (BUSY_COLUMNS, OUTCOMES, VISIT_COLUMNS, VISIT_STATUS, VISITOR_COLUMNS, Outcome,
                      VisitStatus)
from .routes import Routes
from .simpy_compat import Environment, drive, run, wake_after
from .visitor import Walk

__all__ = [
    "OUTCOMES",
    "VISIT_STATUS",
    "VISITOR_COLUMNS",
    "VISIT_COLUMNS",
    "BUSY_COLUMNS",
    "Outcome",
    "VisitStatus",
    "stream",
    "StepDraws",
    "simulate_week",
]

#: Visitors started together (see `_Week.schedule_arrivals`).
ARRIVAL_BATCH = 32
# day-clock marks (`_Week.clock`); a pool's roster change is ROSTER + the pool's index
OPEN, CLOSE, MIDNIGHT, ROSTER = range(4)


def stream(seed: int, replication: int, week: int, purpose: str) -> np.random.Generator:
    """The random stream for one purpose of one replication-week, independent of executors."""
    key = (replication, week, zlib.crc32(purpose.encode()))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=key))


#: Rows of uniforms a step draws per visitor: its duration (or patience), then its route where
#: it branches, then the chance of finishing alone at a self-service step. Three rows at most,
#: so a step's draws do not depend on what else it has.
DURATION_ROWS, ROUTE_ROWS, SELF_ROWS = 1, 2, 3


def draw_plan(c: Compiled) -> list[tuple]:
    """Per step: (distribution or None, rows of uniforms it draws, 0 for none); the same every week,
    so it is worked out once per compiled model."""
    plan = c.__dict__.get("_draw_plan")
    if plan is None:
        plan = []
        for s in range(len(c.step_ids)):
            dist = c.durations[s] if c.kinds[s] != QUEUE else c.patience[s]
            branches = any(len(t[0]) > 1 for t in c.routes[s]) or c.kinds[s] == SELF or (
                c.kinds[s] == START and len(c.starts) > 1)
            if c.kinds[s] == END or (dist is None and not branches):
                plan.append((None, 0))
            else:
                plan.append((dist, SELF_ROWS if c.kinds[s] == SELF else ROUTE_ROWS if branches else DURATION_ROWS))
        c.__dict__["_draw_plan"] = plan  # a frozen dataclass: its fields stay as they are, this is a cache
    return plan


def doubles(a: np.ndarray) -> array:
    """A float array as Python's `array('d')`: indexed like a list (a float per item), 8 bytes a
    number instead of a list's pointer and float object (32), and made by one copy.

    A step draws for every visitor though only those who reach it read theirs: a list would
    make a float object for each, an array makes one per read. At city scale the draws fit
    the CPU's caches far better (200,000 visitors: 1.6 MB a row instead of 6.4 MB).
    """
    out = array("d")
    out.frombytes(np.ascontiguousarray(a, dtype=float).tobytes())
    return out


class StepDraws:
    """Per step and visitor: duration (or patience), routing uniform and self-service uniform."""

    def __init__(self, c: Compiled, n: int, seed: int, replication: int, week: int):
        self.duration: list = []
        self.route: list = []
        self.success: list = []
        for step_id, (dist, rows) in zip(c.step_ids, draw_plan(c)):
            if not rows:
                self.duration.append(None)
                self.route.append(None)
                self.success.append(None)
                continue
            # rows past the last one used are left undrawn (the stream fills rows in order: the same numbers)
            u = stream(seed, replication, week, "step:" + step_id).random((rows, n))
            self.duration.append(None if dist is None else doubles(quantiles(dist, u[0])))
            self.route.append(doubles(u[1]) if rows >= ROUTE_ROWS else None)
            self.success.append(doubles(u[2]) if rows >= SELF_ROWS else None)
        self.extra = stream(seed, replication, week, "revisits")


class _Week(Walk, Routes):
    """One week at the office: the compiled tables, the pools, the day's clock and the records written."""

    def __init__(self, c: Compiled, arrivals: Arrivals, draws: StepDraws):
        self.c = c
        self.env = Environment()
        self.pools = [Pool(spec, self.env) for spec in c.pools]
        self.arrivals = arrivals
        self.draws = draws
        self.send_home_policy = c.model.policy.at_closing == "send_home"
        self.floorwalk = c.model.policy.queue == "floorwalk"
        self.closed = True
        self.qlen = [0] * len(c.step_ids)
        self.records = Recorder()
        # the lists the visitor parts write records onto (flushed into arrays as they fill)
        self.visitors, self.visits, self.busy = self.records.visitors, self.records.visits, self.records.busy
        kinds = [p.kind for p in c.pools]
        # floorwalk: a visitor takes the computer first and the guide comes to them
        self.order = []
        for reqs in c.requests:
            if self.floorwalk:
                reqs = tuple(sorted(reqs, key=lambda r: kinds[r[0]] == "staff"))
            self.order.append(reqs)
        # one unit of one pool: the common case, granted inline when a member is free
        self.single = [len(r) == 1 and r[0][1] == 1 for r in self.order]
        # that pool per step (-1 where a step requests none or more than one unit)
        self.unit_pool = [r[0][0] if one else -1 for r, one in zip(self.order, self.single)]
        self.duration = draws.duration  # per step and visitor: the first visit's duration (queues: patience)
        self.balk_at = c.balk_at
        self.start = c.starts[0] if len(c.starts) == 1 else -1  # -1: drawn per visitor
        self.keeps = [frozenset(p for p, _ in r) for r in c.requests]
        self.cyclic = c.cyclic
        # the next step when it does not depend on chance (-1: draw it), per step and combo
        self.fixed = [[t[0][0] if len(t[0]) == 1 else -1 for t in table] for table in c.routes]
        self.after_task = [[self._fixed_through(s, combo) for combo in range(len(table))]
                           for s, table in enumerate(self.fixed)]
        self.end_code = [float(Outcome[(o or "served").upper()]) if k == END else -1 for o, k in zip(c.outcomes, c.kinds)]

    # --- the office's day -----------------------------------------------------------
    def clock(self):
        """Open and close each day, empty the office at midnight, follow each pool's roster."""
        env, c = self.env, self.c
        marks = []
        for d, hours in enumerate(c.opening):
            if hours is not None:
                marks += [(d * DAY + hours[0], OPEN), (d * DAY + hours[1], CLOSE), ((d + 1) * DAY - 1e-6, MIDNIGHT)]
        for spec_i, spec in enumerate(c.pools):
            marks += [(t, ROSTER + spec_i) for t, _ in spec.changes[1:]]
        for t, what in sorted(marks):
            if t > env.now:
                yield env.timeout(t - env.now)
            if what == OPEN:
                self.closed = False
            elif what == CLOSE:
                self.closed = True
                for pool in self.pools:
                    if self.send_home_policy or pool.cap == 0:
                        pool.send_home_all()
            elif what == MIDNIGHT:  # each day starts with an empty office
                for pool in self.pools:
                    pool.send_home_all()
            else:
                pool_i = what - ROSTER
                pool = self.pools[pool_i]
                pool.set_capacity(c.pools[pool_i].capacity_at(t))
                if self.closed and pool.cap == 0:
                    pool.send_home_all()

    def schedule_arrivals(self) -> None:
        """Start visitors in batches at the first one's arrival; each runs ahead on its own clock.

        A visitor's steps that touch no pool (taking a ticket, deciding) only move its own
        clock, so the first event it needs is its first request or release, not its arrival.
        Batches keep SimPy's event heap small while saving an arrival event per visitor.
        """
        a = self.arrivals
        self._combos = (a.errands * self.c.n_segments + a.segments).tolist()
        self._errands = a.errands.astype(float).tolist()  # only written into the visitor records
        self._segments = a.segments.astype(float).tolist()
        self._times = a.times.tolist()
        self._next_batch = 0
        if self._times:
            wake_after(self.env, self._times[0], self._start_batch)

    def _start_batch(self, event) -> None:
        b = self._next_batch
        end = min(b + ARRIVAL_BATCH, len(self._times))
        self._next_batch = end
        if end < len(self._times):
            wake_after(self.env, self._times[end] - self.env.now, self._start_batch)
        self.records.flush()
        env, times, combos = self.env, self._times, self._combos
        for i in range(b, end):
            drive(self.visitor(i, combos[i], times[i]), env)


def simulate_week(c: Compiled, arrivals: Arrivals, draws: StepDraws, week: int | None = None) -> dict[str, np.ndarray]:
    """Run one week; records as float arrays (`visitors`, `visits`, `busy`), columns as in `records.py`.

    With `week`, each array has the trailing `week` column a replication's records carry.
    """
    w = _Week(c, arrivals, draws)
    collecting = gc.isenabled()
    gc.disable()  # a week makes many short-lived objects and no garbage cycles worth chasing
    try:
        w.schedule_arrivals()
        w.env.process(w.clock())
        run(w.env)
        return w.records.arrays(week)
    finally:
        if collecting:
            gc.enable()

