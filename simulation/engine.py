"""The SimPy model that executes a compiled process model for one week.

Visitors are plain generator processes walking the steps: a task (or self-service) part, a
queue part and a route part that picks the next step. Every random number a visitor uses
at a step comes from that step's stream, indexed by the visitor, so two scenarios see the
same visitors with the same luck (common random numbers). The records written are those of
`records.py`; SimPy's internals are only touched through `simpy_compat.py`.
"""

from __future__ import annotations

import gc
import zlib
from bisect import bisect_right
from itertools import chain

import numpy as np
import simpy

from .arrivals import DAY, Arrivals
from .compiled import DECISION, END, QUEUE, SELF, START, TASK, Compiled
from .distributions import quantiles
from .pools import GAVE_UP, SENT_HOME, Pool, Request
from .records import (BUSY_COLUMNS, OUTCOMES, VISIT_COLUMNS, VISIT_STATUS, VISITOR_COLUMNS, Outcome,
                      VisitStatus)
from .simpy_compat import Driver, Grant, wake_after, wake_now

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
#: What a part of the walk returns when the visitor leaves the office (its outcome is set).
LEAVE = -1
# the codes as plain ints in the hot loop (records are floats; an enum member costs a lookup)
DONE, GAVE_UP_VISIT, BALKED_VISIT, SENT_HOME_VISIT = (int(x) for x in VisitStatus)
BALKED, GAVE_UP_CODE, SENT_HOME_CODE = int(Outcome.BALKED), int(Outcome.GAVE_UP), int(Outcome.SENT_HOME)
# day-clock marks (`_Week.clock`); a pool's roster change is ROSTER + the pool's index
OPEN, CLOSE, MIDNIGHT, ROSTER = range(4)


def stream(seed: int, replication: int, week: int, purpose: str) -> np.random.Generator:
    """The random stream for one purpose of one replication-week, independent of executors."""
    key = (replication, week, zlib.crc32(purpose.encode()))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=key))


class StepDraws:
    """Per step and visitor: duration (or patience), routing uniform and self-service uniform."""

    def __init__(self, c: Compiled, n: int, seed: int, replication: int, week: int):
        self.duration: list = []
        self.route: list = []
        self.success: list = []
        for s, step_id in enumerate(c.step_ids):
            dist = c.durations[s] if c.kinds[s] != QUEUE else c.patience[s]
            branches = any(len(t[0]) > 1 for t in c.routes[s]) or c.kinds[s] == SELF or (
                c.kinds[s] == START and len(c.starts) > 1)
            if c.kinds[s] == END or (dist is None and not branches):
                self.duration.append(None)
                self.route.append(None)
                self.success.append(None)
                continue
            # always three rows per visitor, so a step's draws do not depend on what else it has
            u = stream(seed, replication, week, "step:" + step_id).random((3, n))
            self.duration.append(None if dist is None else quantiles(dist, u[0]).tolist())
            self.route.append(u[1].tolist() if branches else None)
            self.success.append(u[2].tolist() if c.kinds[s] == SELF else None)
        self.extra = stream(seed, replication, week, "revisits")


class Unit:
    """A pool member a visitor holds, and since when (its busy record starts there)."""

    __slots__ = ("member", "since")

    def __init__(self, member: int, since: float):
        self.member = member
        self.since = since


class Visitor:
    """One visitor's state while walking: its own clock (`now`, ahead of SimPy's), units held, wait so far."""

    __slots__ = ("i", "combo", "now", "held", "seen", "first", "waited", "outcome")

    def __init__(self, i: int, combo: int, now: float):
        self.i = i
        self.combo = combo
        self.now = now
        self.held: dict[int, list[Unit]] = {}  # pool -> units
        self.seen: set = set()  # steps visited (cyclic models draw afresh on a revisit)
        self.first = True  # first visit to the current step
        self.waited = 0.0
        self.outcome = int(Outcome.SERVED)


class _Patience:
    """A waiting visitor's patience timer: on expiry it leaves whichever line it is in."""

    __slots__ = ("req", "pool")

    def __init__(self, req: Request, pool: Pool):
        self.req: Request | None = req
        self.pool = pool

    def expire(self, _event) -> None:
        req = self.req
        if req is not None and self.pool.cancel(req):
            wake_now(self.pool.env, req.grant, GAVE_UP)


class _Week:
    def __init__(self, c: Compiled, arrivals: Arrivals, draws: StepDraws):
        self.c = c
        self.env = simpy.Environment()
        self.pools = [Pool(spec, self.env) for spec in c.pools]
        self.arrivals = arrivals
        self.draws = draws
        self.send_home_policy = c.model.policy.at_closing == "send_home"
        self.floorwalk = c.model.policy.queue == "floorwalk"
        self.closed = True
        self.qlen = [0] * len(c.step_ids)
        self.visitors: list = []
        self.visits: list = []
        self.busy: list = []
        kinds = [p.kind for p in c.pools]
        # floorwalk: a visitor takes the computer first and the guide comes to them
        self.order = []
        for reqs in c.requests:
            if self.floorwalk:
                reqs = tuple(sorted(reqs, key=lambda r: kinds[r[0]] == "staff"))
            self.order.append(reqs)
        # one unit of one pool: the common case, granted inline when a member is free
        self.single = [len(r) == 1 and r[0][1] == 1 for r in self.order]
        self.keeps = [frozenset(p for p, _ in r) for r in c.requests]
        self.cyclic = c.cyclic
        # the next step when it does not depend on chance (-1: draw it), per step and combo
        self.fixed = [[t[0][0] if len(t[0]) == 1 else -1 for t in table] for table in c.routes]
        self.after_task = [[self._fixed_through(s, combo) for combo in range(len(table))]
                           for s, table in enumerate(self.fixed)]
        self.end_code = [int(Outcome[(o or "served").upper()]) if k == END else -1 for o, k in zip(c.outcomes, c.kinds)]

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
        self._errands = a.errands.tolist()
        self._segments = a.segments.tolist()
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
        env, times, combos = self.env, self._times, self._combos
        for i in range(b, end):
            Driver(self.visitor(i, combos[i], times[i]), env).resume(event)

    # --- a visitor: the walk, then its parts -------------------------------------------
    def visitor(self, i: int, combo: int, t0: float):
        """One visitor's walk through the steps (a generator driven by `simpy_compat.Driver`).

        The visitor's own clock (`Visitor.now`) moves with durations only; before touching
        a pool (take, wait, release) the visitor yields the lag so SimPy's clock catches up.
        Holding a unit through consecutive steps therefore costs one event, not one per step.
        The parts below (task, queue, route) do the bookkeeping; only this loop yields.
        """
        env, kinds, cyclic, order, single, fixed = self.env, self.c.kinds, self.cyclic, self.order, self.single, self.fixed
        v = Visitor(i, combo, t0)
        held = v.held
        s = self._first_step(i)
        while True:
            k = kinds[s]
            if k == END:
                v.outcome = self.end_code[s]
                break
            if cyclic:
                v.first = s not in v.seen
                v.seen.add(s)
            if k == TASK or k == SELF:
                t_req = v.now
                reqs = order[s]
                if reqs and not (single[s] and reqs[0][0] in held):  # units to get first
                    if v.now > env.now:
                        yield v.now - env.now
                        v.now = env.now
                    if not self._take_now(v, s):
                        status = yield from self.acquire(s, held, combo, None)
                        v.now = env.now
                        if status:
                            self._sent_home(v, s, t_req)
                            break
                nxt = self._work(v, s, t_req)
                if held:
                    gone = self._hand_back(v, s, nxt)
                    if gone is not None:
                        if v.now > env.now:
                            yield v.now - env.now
                            v.now = env.now
                        if gone.__class__ is Unit:
                            self.pools[gone.since].release(gone.member)
                        else:
                            self._release(held, s, i, gone)
            elif k == QUEUE:
                nxt = fixed[s][combo]
                if nxt < 0:
                    nxt = self._draw_route(v, s)
                if v.now > env.now:
                    yield v.now - env.now
                    v.now = env.now
                if held:
                    self._release(held, s, i)
                t_req = v.now
                nxt = self._join(v, s, nxt)
                if nxt < LEAVE:  # nobody free: wait in line
                    nxt = -nxt - 2
                    patience = self._patience(v, s)
                    if patience is not None and self.c.balk_at[s] is None and single[nxt] and not self.closed:
                        grant = self._wait_lazily(v, nxt, t_req + patience)
                        m = yield grant
                        v.now = env.now
                        nxt = self._granted(v, s, nxt, t_req, m, t_req + patience)
                    else:
                        self.qlen[s] += 1
                        status = yield from self.acquire(nxt, held, combo, patience)
                        self.qlen[s] -= 1
                        v.now = env.now
                        nxt = self._acquired(v, s, nxt, t_req, status)
            else:  # START, DECISION take no time
                nxt = fixed[s][combo]
                if nxt < 0:
                    nxt = self._draw_route(v, s)
            if nxt == LEAVE:
                break
            s = nxt
        if held:
            if v.now > env.now:
                yield v.now - env.now
                v.now = env.now
            self._release(held, s, i)
        self.visitors.append((i, int(t0 // DAY), t0, v.now, self._errands[i], self._segments[i], v.outcome, v.waited))

    # --- the task part: get units, work, hand units back ------------------------------
    def _take_now(self, v: Visitor, s: int) -> bool:
        """Take the one unit of one pool that step `s` needs if a member is free now (no event)."""
        if not self.single[s] or v.held or self.closed:
            return False
        p = self.order[s][0][0]
        m = self.pools[p].take(v.combo)
        if m < 0:
            return False
        v.held[p] = [Unit(m, v.now)]
        return True

    def _sent_home(self, v: Visitor, s: int, t_req: float) -> None:
        """Closing time came while waiting for a task's units: record it and give back what was held."""
        self.visits.append((v.i, s, t_req, v.now, v.now, SENT_HOME_VISIT))
        v.waited += v.now - t_req
        self._release(v.held, s, v.i)
        v.outcome = SENT_HOME_CODE

    def _work(self, v: Visitor, s: int, t_req: float) -> int:
        """Do task `s` with the units held: move the visitor's clock, record the visit; the next step."""
        t_start = v.now
        v.waited += t_start - t_req
        v.now += self.draws.duration[s][v.i] if v.first else self._again(self.c.durations[s])
        self.visits.append((v.i, s, t_req, t_start, v.now, DONE))
        nxt = self.after_task[s][v.combo]
        return nxt if nxt >= 0 else self._route_task(v, s)

    def _hand_back(self, v: Visitor, s: int, nxt: int):
        """After task `s`: units step `nxt` also requests stay with the visitor (no event needed).

        Returns what must go back to its pools after the clock has caught up: a Unit (the
        common case of one unit, its busy record already closed), the pools kept (a
        frozenset), or None when every unit stays.
        """
        held, kept = v.held, self.keeps[nxt]
        if len(held) == 1 and self.single[s] and not kept:
            (p, units), = held.items()
            unit = units[0]
            self.busy.append((p, unit.member, s, v.i, unit.since, v.now))
            held.clear()
            unit.since = p  # the pool it goes back to
            return unit
        if any(p not in kept for p in held):
            return kept
        self._record_busy(held, s, v.i, v.now)
        return None

    # --- the queue part: join a line, then what waiting came to -----------------------
    def _join(self, v: Visitor, s: int, nxt: int) -> int:
        """Arrive at queue `s` before step `nxt`: balk (LEAVE), get a free unit now (`nxt`), or wait (-nxt-2)."""
        t_req = v.now
        balk = self.c.balk_at[s]
        if balk is not None and self.qlen[s] >= balk:
            self.visits.append((v.i, s, t_req, t_req, t_req, BALKED_VISIT))
            v.outcome = BALKED
            return LEAVE
        if self.single[nxt] and not self.closed:
            p = self.order[nxt][0][0]
            m = self.pools[p].take(v.combo)
            if m >= 0:
                v.held[p] = [Unit(m, t_req)]
                return self._waited(v, s, t_req, DONE, nxt)
        return -nxt - 2

    def _patience(self, v: Visitor, s: int) -> float | None:
        pat = self.draws.duration[s]
        return None if pat is None else (pat[v.i] if v.first else self._again(self.c.patience[s]))

    def _wait_lazily(self, v: Visitor, nxt: int, deadline: float) -> Grant:
        """Wait for one unit of one pool: the pool drops the visitor lazily once the deadline has
        passed, so no timer event per waiting visitor."""
        c = self.c
        grant = Grant()
        self.pools[self.order[nxt][0][0]].wait(grant, 0 if (c.priority[nxt] and c.booked[v.combo]) else 1,
                                               v.combo, deadline)
        return grant

    def _granted(self, v: Visitor, s: int, nxt: int, t_req: float, m: int, deadline: float) -> int:
        """What a lazy wait came to: a member (on to `nxt`), or gave up at the deadline, or sent home."""
        if m >= 0:
            v.held[self.order[nxt][0][0]] = [Unit(m, v.now)]
            return self._waited(v, s, t_req, DONE, nxt)
        if m == GAVE_UP:
            v.now = deadline
            return self._waited(v, s, t_req, GAVE_UP_VISIT, LEAVE, GAVE_UP_CODE)
        return self._waited(v, s, t_req, SENT_HOME_VISIT, LEAVE, SENT_HOME_CODE)

    def _acquired(self, v: Visitor, s: int, nxt: int, t_req: float, status: int) -> int:
        """What waiting for all of `nxt`'s units came to: on to `nxt`, or gave up, or sent home."""
        if not status:
            return self._waited(v, s, t_req, DONE, nxt)
        gave_up = status == GAVE_UP
        self._waited(v, s, t_req, GAVE_UP_VISIT if gave_up else SENT_HOME_VISIT, LEAVE,
                     GAVE_UP_CODE if gave_up else SENT_HOME_CODE)
        self._release(v.held, nxt, v.i)
        return LEAVE

    def _waited(self, v: Visitor, s: int, t_req: float, status: int, nxt: int, outcome: int | None = None) -> int:
        """Record a visit to queue `s` from `t_req` to the visitor's clock; the next step (or LEAVE with `outcome`)."""
        now = v.now
        self.visits.append((v.i, s, t_req, now, now, status))
        v.waited += now - t_req
        if outcome is not None:
            v.outcome = outcome
        return nxt

    def acquire(self, step: int, held: dict, combo: int, patience: float | None):
        """Get every unit `step` requests (keeping those already held); 0 or GAVE_UP/SENT_HOME."""
        env = self.env
        prio = 0 if (self.c.priority[step] and self.c.booked[combo]) else 1
        timer = None
        for p, count in self.order[step]:
            have = held.get(p)
            for _ in range(count - (len(have) if have else 0)):
                pool = self.pools[p]
                if self.closed and (self.send_home_policy or pool.cap == 0):
                    return SENT_HOME
                m = pool.take(combo)
                if m < 0:
                    grant = Grant()
                    req = pool.wait(grant, prio, combo)
                    if patience is not None:
                        if timer is None:
                            waiting = _Patience(req, pool)
                            timer = env.timeout(patience)
                            timer.callbacks.append(waiting.expire)
                        elif timer.processed:
                            pool.cancel(req)
                            return GAVE_UP
                        else:
                            waiting.req, waiting.pool = req, pool
                    m = yield grant
                    if m < 0:
                        return m
                held.setdefault(p, []).append(Unit(m, env.now))
        if timer is not None:
            waiting.req = None
        return 0

    def _record_busy(self, held: dict, step: int, visitor: int, now: float) -> None:
        """Close the busy records of the units held through `step`; they go on from `now`."""
        busy = self.busy
        for p, units in held.items():
            for unit in units:
                busy.append((p, unit.member, step, visitor, unit.since, now))
                unit.since = now

    def _release(self, held: dict, step: int, visitor: int, keep=()) -> None:
        """Record the units held through `step`, give back those of pools not in `keep`."""
        self._record_busy(held, step, visitor, self.env.now)
        for p in [p for p in held if p not in keep]:
            pool = self.pools[p]
            for unit in held.pop(p):
                pool.release(unit.member)

    # --- the route part: which step comes next ----------------------------------------
    def _first_step(self, i: int) -> int:
        starts = self.c.starts
        return starts[0] if len(starts) == 1 else starts[int(self.draws.route[starts[0]][i] * len(starts))]

    def _fixed_through(self, s: int, combo: int) -> int:
        """The step after task `s` when no chance is involved (decisions looked through), else -1."""
        if self.c.kinds[s] != TASK:
            return -1
        nxt = self.fixed[s][combo]
        while nxt >= 0 and self.c.kinds[nxt] == DECISION:
            nxt = self.fixed[nxt][combo]
        return nxt

    def _route(self, v: Visitor, s: int) -> int:
        """The step after `s` (no decisions looked through): fixed, or drawn from the visitor's uniform."""
        nxt = self.fixed[s][v.combo]
        return nxt if nxt >= 0 else self._draw_route(v, s)

    def _draw_route(self, v: Visitor, s: int) -> int:
        """The step after `s` drawn with the visitor's uniform for it (a fresh one on a revisit)."""
        return self._next(s, v.combo, self.draws.route[s][v.i] if v.first else self.draws.extra.random())

    def _route_task(self, v: Visitor, s: int) -> int:
        """The step after task `s` (a self-service step's outcome decides its table), decisions looked through."""
        dr, combo = self.draws, v.combo
        if self.c.kinds[s] == SELF:
            u = dr.success[s][v.i] if v.first else dr.extra.random()
            table = self.c.routes if u < self.c.success[s][combo] else self.c.fail_routes
            nxt = self._next(s, combo, dr.route[s][v.i] if v.first else dr.extra.random(), table)
        else:
            nxt = self._route(v, s)
        kinds, fixed = self.c.kinds, self.fixed
        while kinds[nxt] == DECISION:  # decisions take no time: look through them
            d = nxt
            nxt = fixed[d][combo]
            if nxt < 0:
                if self.cyclic:
                    u = dr.route[d][v.i] if d not in v.seen else dr.extra.random()
                    v.seen.add(d)
                else:
                    u = dr.route[d][v.i]
                nxt = self._next(d, combo, u)
        return nxt

    def _next(self, s: int, combo: int, u: float, table=None) -> int:
        targets, cum = (table or self.c.routes)[s][combo]
        if len(targets) == 1:
            return targets[0]
        return targets[min(bisect_right(cum, u * cum[-1]), len(targets) - 1)]

    def _again(self, dist) -> float:
        """A fresh draw for a step visited a second time (cyclic models)."""
        return float(quantiles(dist, self.draws.extra.random(1))[0])


def simulate_week(c: Compiled, arrivals: Arrivals, draws: StepDraws) -> dict[str, np.ndarray]:
    """Run one week; records as float arrays (`visitors`, `visits`, `busy`), columns as in `records.py`."""
    w = _Week(c, arrivals, draws)
    collecting = gc.isenabled()
    gc.disable()  # a week makes many short-lived objects and no garbage cycles worth chasing
    try:
        w.schedule_arrivals()
        w.env.process(w.clock())
        w.env.run()
        return {
            "visitors": _array(w.visitors, len(VISITOR_COLUMNS)),
            "visits": _array(w.visits, len(VISIT_COLUMNS)),
            "busy": _array(w.busy, len(BUSY_COLUMNS)),
        }
    finally:
        if collecting:
            gc.enable()


def _array(rows: list, width: int) -> np.ndarray:
    if not rows:
        return np.empty((0, width))
    a = np.fromiter(chain.from_iterable(rows), float, count=len(rows) * width).reshape(-1, width)
    return a[np.lexsort((a[:, 0],))] if width == len(VISITOR_COLUMNS) else a
