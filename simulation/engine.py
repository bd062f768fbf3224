"""The SimPy model that executes a compiled process model for one week.

Visitors are plain generator processes walking the steps. Every random number a visitor
uses at a step comes from that step's stream, indexed by the visitor, so two scenarios
see the same visitors with the same luck (common random numbers).
"""

from __future__ import annotations

import gc
import zlib
from itertools import chain
from bisect import bisect_right
from heapq import heappush

import numpy as np
import simpy
from simpy.events import NORMAL

from .arrivals import DAY, Arrivals
from .compiled import DECISION, END, QUEUE, SELF, START, TASK, Compiled
from .distributions import quantiles
from .pools import GAVE_UP, SENT_HOME, Grant, Pool

__all__ = [
    "OUTCOMES",
    "VISIT_STATUS",
    "VISITOR_COLUMNS",
    "VISIT_COLUMNS",
    "BUSY_COLUMNS",
    "stream",
    "StepDraws",
    "simulate_week",
]

#: Visitors started together (see `_Week.schedule_arrivals`).
ARRIVAL_BATCH = 32
#: Visitor outcome codes, in record order.
OUTCOMES = ("served", "self_served", "referred", "left", "balked", "gave_up", "sent_home")
_OUTCOME_CODE = {name: i for i, name in enumerate(OUTCOMES)}
BALKED, GAVE_UP_CODE, SENT_HOME_CODE = 4, 5, 6
#: Status of one step visit.
VISIT_STATUS = ("done", "gave_up", "balked", "sent_home")

VISITOR_COLUMNS = ("visitor", "day", "arrival", "departure", "errand", "segment", "outcome", "waited")
VISIT_COLUMNS = ("visitor", "step", "requested", "started", "ended", "status")
BUSY_COLUMNS = ("pool", "member", "step", "visitor", "start", "end")


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
        self.end_code = [_OUTCOME_CODE[o or "served"] if k == END else -1 for o, k in zip(c.outcomes, c.kinds)]

    # --- the office's day -----------------------------------------------------------
    def clock(self):
        env, c = self.env, self.c
        marks = []
        for d, hours in enumerate(c.opening):
            if hours is not None:
                marks += [(d * DAY + hours[0], 0), (d * DAY + hours[1], 1), ((d + 1) * DAY - 1e-6, 2)]
        for spec_i, spec in enumerate(c.pools):
            marks += [(t, 3 + spec_i) for t, _ in spec.changes[1:]]
        for t, what in sorted(marks):
            if t > env.now:
                yield env.timeout(t - env.now)
            if what == 0:
                self.closed = False
            elif what == 1:
                self.closed = True
                for pool in self.pools:
                    if self.send_home_policy or pool.cap == 0:
                        pool.send_home_all()
            elif what == 2:  # each day starts with an empty office
                for pool in self.pools:
                    pool.send_home_all()
            else:
                pool_i = what - 3
                spec = c.pools[pool_i]
                self.pools[pool_i].set_capacity(spec.capacity_at(t))
                if self.closed and self.pools[pool_i].cap == 0:
                    self.pools[pool_i].send_home_all()

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
            _wake_after(self.env, self._times[0], self._start_batch)

    def _start_batch(self, event) -> None:
        b = self._next_batch
        end = min(b + ARRIVAL_BATCH, len(self._times))
        self._next_batch = end
        if end < len(self._times):
            _wake_after(self.env, self._times[end] - self.env._now, self._start_batch)
        env, times, combos = self.env, self._times, self._combos
        for i in range(b, end):
            _Run(self.visitor(i, combos[i], times[i]), env).resume(event)

    # --- a visitor --------------------------------------------------------------------
    def _next(self, s: int, combo: int, u: float, table=None) -> int:
        targets, cum = (table or self.c.routes)[s][combo]
        if len(targets) == 1:
            return targets[0]
        return targets[min(bisect_right(cum, u * cum[-1]), len(targets) - 1)]

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
                    ev = Grant()
                    req = pool.wait(ev, prio, combo)
                    if patience is not None:
                        if timer is None:
                            cur = [req, pool]
                            timer = env.timeout(patience)
                            timer.callbacks.append(_expire(cur))
                        elif timer.processed:
                            pool.cancel(req)
                            return GAVE_UP
                        else:
                            cur[0], cur[1] = req, pool
                    m = yield ev
                    if m < 0:
                        return m
                held.setdefault(p, []).append([m, env.now])
        if timer is not None:
            cur[0] = None
        return 0

    def _release(self, held: dict, step: int, visitor: int, keep=()) -> None:
        now = self.env._now
        busy = self.busy
        gone = []
        for p, units in held.items():
            for unit in units:
                busy.append((p, unit[0], step, visitor, unit[1], now))
                unit[1] = now
            if p not in keep:
                gone.append(p)
        for p in gone:
            pool = self.pools[p]
            for unit in held.pop(p):
                pool.release(unit[0])

    def visitor(self, i: int, combo: int, t0: float):
        """One visitor's walk through the steps (a generator driven by `_Run`).

        `now` is the visitor's own clock. Durations only move it forward; before touching a
        pool (take, wait, release) the visitor yields the lag so SimPy's clock catches up.
        Holding a unit through consecutive steps therefore costs one event, not one per step.
        """
        env, c, dr = self.env, self.c, self.draws
        kinds, order, visits, pools, fixed = c.kinds, self.order, self.visits, self.pools, self.fixed
        route_u, durations, cyclic, single, keeps = dr.route, dr.duration, self.cyclic, self.single, self.keeps
        now = t0
        s = c.starts[0] if len(c.starts) == 1 else c.starts[int(dr.route[c.starts[0]][i] * len(c.starts))]
        held: dict = {}
        seen: set = set()
        first = True
        waited = 0.0
        outcome = 0
        while True:
            k = kinds[s]
            if k == END:
                outcome = self.end_code[s]
                break
            if cyclic:
                first = s not in seen
                seen.add(s)
            if k == TASK or k == SELF:
                t_req = now
                reqs = order[s]
                if reqs and not (single[s] and reqs[0][0] in held):
                    if now > env._now:
                        yield now - env._now
                        now = env._now
                    m = -1
                    if single[s] and not held and not self.closed:
                        p = reqs[0][0]
                        m = pools[p].take(combo)
                        if m >= 0:
                            held[p] = [[m, now]]
                    if m < 0:
                        status = yield from self.acquire(s, held, combo, None)
                        now = env._now
                        if status:
                            visits.append((i, s, t_req, now, now, 3))
                            waited += now - t_req
                            self._release(held, s, i)
                            outcome = SENT_HOME_CODE
                            break
                t_start = now
                waited += t_start - t_req
                now += durations[s][i] if first else self._again(c.durations[s])
                visits.append((i, s, t_req, t_start, now, 0))
                if k == SELF:
                    u = dr.success[s][i] if first else dr.extra.random()
                    table = c.routes if u < c.success[s][combo] else c.fail_routes
                    nxt = self._next(s, combo, route_u[s][i] if first else dr.extra.random(), table)
                else:
                    nxt = fixed[s][combo]
                    if nxt < 0:
                        nxt = self._next(s, combo, route_u[s][i] if first else dr.extra.random())
                while kinds[nxt] == DECISION:  # decisions take no time: look through them
                    d = nxt
                    nxt = fixed[d][combo]
                    if nxt < 0:
                        if cyclic:
                            u = route_u[d][i] if d not in seen else dr.extra.random()
                            seen.add(d)
                        else:
                            u = route_u[d][i]
                        nxt = self._next(d, combo, u)
                if held:
                    kept = keeps[nxt]
                    # units the next step also requests stay with the visitor: no event needed
                    if len(held) == 1 and single[s] and not kept:
                        (p, units), = held.items()
                        unit = units[0]
                        self.busy.append((p, unit[0], s, i, unit[1], now))
                        held.clear()
                        if now > env._now:
                            yield now - env._now
                            now = env._now
                        pools[p].release(unit[0])
                    elif any(p not in kept for p in held):
                        if now > env._now:
                            yield now - env._now
                            now = env._now
                        self._release(held, s, i, kept)
                    else:
                        for p, units in held.items():
                            for unit in units:
                                self.busy.append((p, unit[0], s, i, unit[1], now))
                                unit[1] = now
                s = nxt
            elif k == QUEUE:
                nxt = fixed[s][combo]
                if nxt < 0:
                    nxt = self._next(s, combo, route_u[s][i] if first else dr.extra.random())
                if now > env._now:
                    yield now - env._now
                    now = env._now
                if held:
                    self._release(held, s, i)
                balk = c.balk_at[s]
                t_req = now
                if balk is not None and self.qlen[s] >= balk:
                    visits.append((i, s, t_req, t_req, t_req, 2))
                    outcome = BALKED
                    break
                m = -1
                if single[nxt] and not self.closed:
                    p = order[nxt][0][0]
                    m = pools[p].take(combo)
                    if m >= 0:
                        held[p] = [[m, t_req]]
                if m < 0:
                    pat = durations[s]
                    patience = None if pat is None else (pat[i] if first else self._again(c.patience[s]))
                    if patience is not None and balk is None and single[nxt] and not self.closed:
                        # one unit of one pool: the pool drops the visitor lazily once the
                        # deadline has passed, so no timer event per waiting visitor
                        p = order[nxt][0][0]
                        ev = Grant()
                        deadline = t_req + patience
                        pools[p].wait(ev, 0 if (c.priority[nxt] and c.booked[combo]) else 1, combo, deadline)
                        m = yield ev
                        now = env._now
                        if m >= 0:
                            held[p] = [[m, now]]
                            waited += now - t_req
                            visits.append((i, s, t_req, now, now, 0))
                            s = nxt
                            continue
                        now = deadline if m == GAVE_UP else now
                        visits.append((i, s, t_req, now, now, 1 if m == GAVE_UP else 3))
                        waited += now - t_req
                        outcome = GAVE_UP_CODE if m == GAVE_UP else SENT_HOME_CODE
                        break
                    self.qlen[s] += 1
                    status = yield from self.acquire(nxt, held, combo, patience)
                    self.qlen[s] -= 1
                    now = env._now
                    if status:
                        visits.append((i, s, t_req, now, now, 1 if status == GAVE_UP else 3))
                        waited += now - t_req
                        self._release(held, nxt, i)
                        outcome = GAVE_UP_CODE if status == GAVE_UP else SENT_HOME_CODE
                        break
                    waited += now - t_req
                visits.append((i, s, t_req, now, now, 0))
                s = nxt
            else:  # START, DECISION take no time
                nxt = fixed[s][combo]
                s = nxt if nxt >= 0 else self._next(s, combo, route_u[s][i] if first else dr.extra.random())
        if held:
            if now > env._now:
                yield now - env._now
                now = env._now
            self._release(held, s, i)
        self.visitors.append((i, int(t0 // DAY), t0, now, self._errands[i], self._segments[i], outcome, waited))

    def _again(self, dist) -> float:
        """A fresh draw for a step visited a second time (cyclic models)."""
        return float(quantiles(dist, self.draws.extra.random(1))[0])


class _Wake:
    """The least an entry of SimPy's event queue needs: callbacks, ok and a value."""

    __slots__ = ("callbacks", "_ok", "_value")

    def __init__(self, callback):
        self.callbacks = [callback]
        self._ok = True
        self._value = None


def _wake_after(env, delay: float, callback) -> None:
    """Call `callback` after `delay` minutes, through SimPy's own event queue."""
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), _Wake(callback)))


class _Run:
    """Drives a visitor generator from event callbacks: lighter than a `simpy.Process`.

    A visitor yields either a delay in minutes (float) or a pool grant event. Grants never
    fail and nobody waits on a visitor, so SimPy's Initialize and process-end events and a
    full Timeout per delay are not needed; the events still go through SimPy's queue.
    """

    __slots__ = ("gen", "env")

    def __init__(self, gen, env):
        self.gen = gen
        self.env = env

    def resume(self, event) -> None:
        try:
            target = self.gen.send(event._value)
        except StopIteration:
            return
        if target.__class__ is float:
            env = self.env
            heappush(env._queue, (env._now + target, NORMAL, next(env._eid), _Wake(self.resume)))
        else:
            target.callbacks.append(self.resume)


def _expire(cur: list):
    def expire(_event) -> None:
        req = cur[0]
        if req is not None and cur[1].cancel(req):
            cur[1]._grant(req[0], GAVE_UP)

    return expire


def simulate_week(c: Compiled, arrivals: Arrivals, draws: StepDraws) -> dict[str, np.ndarray]:
    """Run one week; records as float arrays (`visitors`, `visits`, `busy`), columns as named above."""
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
