"""The SimPy model that executes a compiled process model for one week.

Visitors are plain generator processes walking the steps. Every random number a visitor
uses at a step comes from that step's stream, indexed by the visitor, so two scenarios
see the same visitors with the same luck (common random numbers).
"""

from __future__ import annotations

import zlib
from bisect import bisect_right

import numpy as np
import simpy

from .arrivals import DAY, Arrivals
from .compiled import DECISION, END, QUEUE, SELF, START, TASK, Compiled
from .distributions import quantiles
from .pools import GAVE_UP, SENT_HOME, Pool

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
            rng = stream(seed, replication, week, "step:" + step_id)
            u = rng.random((3, n))
            dist = c.durations[s] if c.kinds[s] != QUEUE else c.patience[s]
            self.duration.append(None if dist is None else quantiles(dist, u[0]).tolist())
            self.route.append(u[1].tolist())
            self.success.append(u[2].tolist())
        self.extra = stream(seed, replication, week, "revisits")


class _Week:
    def __init__(self, c: Compiled, arrivals: Arrivals, draws: StepDraws):
        self.c = c
        self.env = simpy.Environment()
        self.pools = [Pool(spec) for spec in c.pools]
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

    def source(self):
        env = self.env
        a = self.arrivals
        n_seg = self.c.n_segments
        combos = (a.errands * n_seg + a.segments).tolist()
        for i, t in enumerate(a.times.tolist()):
            if t > env.now:
                yield env.timeout(t - env.now)
            env.process(self.visitor(i, combos[i], int(t // DAY)))

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
                    ev = env.event()
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
        now = self.env.now
        busy = self.busy
        for p in list(held):
            units = held[p]
            for unit in units:
                busy.append((p, unit[0], step, visitor, unit[1], now))
                unit[1] = now
            if p not in keep:
                pool = self.pools[p]
                for unit in units:
                    pool.release(unit[0])
                del held[p]

    def visitor(self, i: int, combo: int, day: int):
        env, c, dr = self.env, self.c, self.draws
        kinds, requests, visits = c.kinds, c.requests, self.visits
        t0 = env.now
        s = c.starts[0] if len(c.starts) == 1 else c.starts[int(dr.route[0][i] * len(c.starts))]
        held: dict = {}
        seen: set = set()
        waited = 0.0
        outcome = 0
        while True:
            k = kinds[s]
            if k == END:
                outcome = _OUTCOME_CODE[c.outcomes[s] or "served"]
                break
            first = s not in seen
            seen.add(s)
            u_route = dr.route[s][i] if first else dr.extra.random()
            if k == QUEUE:
                nxt = self._next(s, combo, u_route)
                if held:
                    self._release(held, s, i)
                balk = c.balk_at[s]
                if balk is not None and self.qlen[s] >= balk:
                    visits.append((i, s, env.now, env.now, env.now, 2))
                    outcome = BALKED
                    break
                pat = dr.duration[s]
                patience = None if pat is None else (pat[i] if first else float(
                    quantiles(c.patience[s], dr.extra.random(1))[0]))
                t_req = env.now
                self.qlen[s] += 1
                status = yield from self.acquire(nxt, held, combo, patience)
                self.qlen[s] -= 1
                if status:
                    visits.append((i, s, t_req, env.now, env.now, 1 if status == GAVE_UP else 3))
                    waited += env.now - t_req
                    self._release(held, nxt, i)
                    outcome = GAVE_UP_CODE if status == GAVE_UP else SENT_HOME_CODE
                    break
                visits.append((i, s, t_req, env.now, env.now, 0))
                waited += env.now - t_req
                s = nxt
            elif k == TASK or k == SELF:
                t_req = env.now
                if requests[s]:
                    status = yield from self.acquire(s, held, combo, None)
                    if status:
                        visits.append((i, s, t_req, env.now, env.now, 3))
                        waited += env.now - t_req
                        self._release(held, s, i)
                        outcome = SENT_HOME_CODE
                        break
                t_start = env.now
                waited += t_start - t_req
                d = dr.duration[s][i] if first else float(quantiles(c.durations[s], dr.extra.random(1))[0])
                yield env.timeout(d)
                visits.append((i, s, t_req, t_start, env.now, 0))
                if k == SELF:
                    u = dr.success[s][i] if first else dr.extra.random()
                    table = c.routes if u < c.success[s][combo] else c.fail_routes
                    nxt = self._next(s, combo, u_route, table)
                else:
                    nxt = self._next(s, combo, u_route)
                while kinds[nxt] == DECISION:  # decisions take no time: look through them
                    u = dr.route[nxt][i] if nxt not in seen else dr.extra.random()
                    seen.add(nxt)
                    nxt = self._next(nxt, combo, u)
                if held:
                    self._release(held, s, i, keep={p for p, _ in requests[nxt]})
                s = nxt
            else:  # START, DECISION take no time
                s = self._next(s, combo, u_route)
        if held:
            self._release(held, s, i)
        a = self.arrivals
        self.visitors.append((i, day, t0, env.now, a.errands[i], a.segments[i], outcome, waited))


def _expire(cur: list):
    def expire(_event) -> None:
        req = cur[0]
        if req is not None and cur[1].cancel(req):
            req[0].succeed(GAVE_UP)

    return expire


def simulate_week(c: Compiled, arrivals: Arrivals, draws: StepDraws) -> dict[str, np.ndarray]:
    """Run one week; records as float arrays (`visitors`, `visits`, `busy`), columns as named above."""
    w = _Week(c, arrivals, draws)
    w.env.process(w.source())
    w.env.process(w.clock())
    w.env.run()
    return {
        "visitors": _array(w.visitors, len(VISITOR_COLUMNS)),
        "visits": _array(w.visits, len(VISIT_COLUMNS)),
        "busy": _array(w.busy, len(BUSY_COLUMNS)),
    }


def _array(rows: list, width: int) -> np.ndarray:
    if not rows:
        return np.empty((0, width))
    a = np.array(rows, dtype=float)
    return a[np.lexsort((a[:, 0],))] if width == len(VISITOR_COLUMNS) else a
